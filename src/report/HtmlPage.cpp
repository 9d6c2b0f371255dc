#include "HtmlPage.h"

#include "captrack/domain/StatusRules.h"

#include "RenderText.h"

namespace captrack::report::detail
{

namespace
{
// One stylesheet for every report page. Tables scroll sideways on phones instead of squeezing,
// and print drops the scroll boxes, keeps project blocks and table rows whole.
const char* const STYLESHEET = R"css(
*{box-sizing:border-box}
body{margin:0 auto;max-width:1240px;padding:16px 24px 32px;color:#1f2933;background:#fff;
 font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
h1{font-size:1.6em;margin:.3em 0 .4em}
h2{font-size:1.25em;margin:1.6em 0 .6em;padding-bottom:.2em;border-bottom:2px solid #e3e7eb}
h3{font-size:1.05em;margin:1.4em 0 .3em}
p{margin:.4em 0}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0 0 .5em}
.meta dt{font-weight:600;color:#52606d}
.meta dd{margin:0}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{padding:4px 7px;border-bottom:1px solid #e3e7eb;text-align:left;vertical-align:top}
thead th{background:#f5f7fa;font-weight:600;border-bottom:2px solid #cbd2d9}
.n{text-align:right;white-space:nowrap}
th.wrap{white-space:normal}
.wide{font-size:.93em}
tfoot td,tfoot th{font-weight:700;border-top:2px solid #9aa5b1;border-bottom:0}
.badge{display:inline-block;padding:1px 9px;border-radius:10px;font-size:.8em;font-weight:700;
 letter-spacing:.03em;text-transform:uppercase;color:#fff;background:#616e7c;vertical-align:middle}
.badge.green{background:#2e7d32}.badge.amber{background:#f9a825;color:#1f2933}.badge.red{background:#c62828}
.dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:4px;background:#9e9e9e}
.dot.green{background:#2e7d32}.dot.amber{background:#f9a825}.dot.red{background:#c62828}
.note{color:#52606d;font-style:italic}
.nowrap{white-space:nowrap}
.lead{font-size:1.05em;margin:.8em 0;padding:8px 12px;background:#f5f7fa;border-left:4px solid #1565c0}
svg.progress{margin:.3em 0 .5em}
.muted{color:#52606d}
.chart{display:flex;flex-wrap:wrap;gap:16px 32px;align-items:center}
.chart svg{width:520px}
svg{display:block;max-width:100%;height:auto}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:.3em 0;color:#52606d;font-size:.9em}
.legend svg{display:inline-block;vertical-align:-2px}
.project{margin-top:1.2em;break-inside:avoid;page-break-inside:avoid}
.project h3{margin-bottom:.1em}
.timeline{width:100%}
footer{margin-top:2.5em;color:#52606d;font-size:.85em}
@media (max-width:640px){body{padding:10px 10px 24px;font-size:13px}th,td{padding:3px 5px}
 .meta{grid-template-columns:1fr}.meta dd{margin-bottom:4px}}
@media print{body{max-width:none;padding:0;font-size:9pt}.scroll{overflow:visible}
 h2,h3{break-after:avoid;page-break-after:avoid}tr{break-inside:avoid}thead{display:table-header-group}
 .badge,.dot{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 svg{-webkit-print-color-adjust:exact;print-color-adjust:exact}@page{margin:12mm}}
)css";
} // namespace

std::string htmlPage(const std::string& title, const std::string& bodyHtml)
{
    std::string page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                       "<meta name=\"generator\" content=\"captrack\">\n<title>";
    page += escapeHtml(title);
    page += "</title>\n<style>";
    page += STYLESHEET;
    page += "</style>\n</head>\n<body>\n";
    page += bodyHtml;
    page += "</body>\n</html>\n";
    return page;
}

const char* healthColour(const std::optional<domain::Health>& health)
{
    if (!health)
        return "#9e9e9e";
    switch (*health)
    {
    case domain::Health::Green:
        return "#2e7d32";
    case domain::Health::Amber:
        return "#f9a825";
    case domain::Health::Red:
        return "#c62828";
    }
    return "#9e9e9e";
}

std::string healthBadge(const std::optional<domain::Health>& health)
{
    const std::string name = domain::healthName(health);
    return "<span class=\"badge" + (health ? " " + name : std::string()) + "\">" + escapeHtml(name) + "</span>";
}

} // namespace captrack::report::detail
