#include "SvgCharts.h"

#include "HtmlPage.h"
#include "RenderText.h"
#include "captrack/domain/StatusRules.h"

#include <algorithm>
#include <cmath>

namespace captrack::report::detail
{

namespace
{
const double LABEL_WIDTH = 84;
// Room for the count label after the longest bar: "1000000 (100%)" at 13 units is about 110 wide.
const double BAR_MAX_WIDTH = 300;
const double ROW_HEIGHT = 30;

struct HealthBar
{
    std::optional<domain::Health> health;
    Poco::Int64 count;
};

std::string percentOf(Poco::Int64 part, Poco::Int64 whole)
{
    if (whole <= 0)
        return "0%";
    return std::to_string(static_cast<long long>(std::llround(100.0 * static_cast<double>(part) / whole))) + "%";
}

std::string barRow(const HealthBar& bar, std::size_t index, Poco::Int64 largest, Poco::Int64 total)
{
    const double y = 6 + static_cast<double>(index) * ROW_HEIGHT;
    const double width = largest > 0 ? BAR_MAX_WIDTH * static_cast<double>(bar.count) / largest : 0;
    const std::string name = capitalised(domain::healthName(bar.health));
    const std::string counted = std::to_string(bar.count) + " (" + percentOf(bar.count, total) + ")";
    std::string row = "<g><title>" + name + ": " + counted + "</title>";
    row += "<text x=\"0\" y=\"" + svgNumber(y + 15) + "\" font-size=\"13\" fill=\"#1f2933\">" + name + "</text>";
    row += "<rect x=\"" + svgNumber(LABEL_WIDTH) + "\" y=\"" + svgNumber(y) + "\" width=\"" + svgNumber(BAR_MAX_WIDTH) +
           "\" height=\"20\" rx=\"3\" fill=\"#f0f2f5\"/>";
    if (width > 0)
        row += "<rect x=\"" + svgNumber(LABEL_WIDTH) + "\" y=\"" + svgNumber(y) + "\" width=\"" +
               svgNumber(std::max(width, 2.0)) + "\" height=\"20\" rx=\"3\" fill=\"" + healthColour(bar.health) +
               "\"/>";
    row += "<text x=\"" + svgNumber(LABEL_WIDTH + BAR_MAX_WIDTH + 8) + "\" y=\"" + svgNumber(y + 15) +
           "\" font-size=\"13\" font-weight=\"600\" fill=\"#1f2933\">" + counted + "</text></g>";
    return row;
}
} // namespace

std::string svgNumber(double value)
{
    const long long tenths = std::llround(value * 10);
    const long long whole = tenths / 10;
    const long long fraction = std::llabs(tenths % 10);
    const std::string sign = (tenths < 0 && whole == 0) ? "-" : "";
    return sign + std::to_string(whole) + (fraction ? "." + std::to_string(fraction) : std::string());
}

std::string healthBarChart(const HealthCounts& counts, const std::string& idPrefix)
{
    const HealthBar bars[] = {{domain::Health::Green, counts.green},
                              {domain::Health::Amber, counts.amber},
                              {domain::Health::Red, counts.red},
                              {std::nullopt, counts.none}};
    const Poco::Int64 total = counts.green + counts.amber + counts.red + counts.none;
    const Poco::Int64 largest = std::max({counts.green, counts.amber, counts.red, counts.none});
    const std::string height = svgNumber(4 * ROW_HEIGHT + 8);
    std::string svg = "<svg viewBox=\"0 0 520 " + height + "\" width=\"520\" height=\"" + height +
                      "\" role=\"img\" aria-labelledby=\"" + idPrefix + "-title " + idPrefix + "-desc\">";
    svg += "<title id=\"" + idPrefix + "-title\">Projects by effective health</title>";
    svg += "<desc id=\"" + idPrefix + "-desc\">" + std::to_string(total) + " projects: green " +
           std::to_string(counts.green) + ", amber " + std::to_string(counts.amber) + ", red " +
           std::to_string(counts.red) + ", none " + std::to_string(counts.none) + ".</desc>";
    for (std::size_t i = 0; i < 4; ++i)
        svg += barRow(bars[i], i, largest, total);
    return svg + "</svg>";
}

std::string progressBar(Poco::Int64 percent)
{
    const Poco::Int64 clamped = std::clamp<Poco::Int64>(percent, 0, 100);
    const std::string label = "Progress " + std::to_string(clamped) + "%";
    return "<svg class=\"progress\" viewBox=\"0 0 240 14\" width=\"240\" height=\"14\" "
           "role=\"img\" aria-label=\"" +
           label + "\"><title>" + label +
           "</title><rect width=\"240\" height=\"14\" rx=\"7\" fill=\"#e3e7eb\"/>"
           "<rect width=\"" +
           svgNumber(2.4 * static_cast<double>(clamped)) + "\" height=\"14\" rx=\"7\" fill=\"#1565c0\"/></svg>";
}

} // namespace captrack::report::detail
