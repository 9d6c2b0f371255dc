#include "captrack/report/TrendChart.h"

#include "RenderText.h"
#include "captrack/domain/Date.h"
#include "captrack/domain/Utf8.h"

#include <algorithm>
#include <optional>
#include <sstream>
#include <vector>

namespace captrack::report
{

using domain::Date;

namespace
{
constexpr double WIDTH = 860, HEIGHT = 520, LEFT = 90, RIGHT = 200, TOP = 40, BOTTOM = 60;
/// Every label's size (no text under 12 in the chart's own units), the room between label rows, and the
/// width a character takes at most on average (0.6 of the size), to keep labels apart and inside.
constexpr double FONT_SIZE = 12, LABEL_ROW = FONT_SIZE + 2, CHARACTER_WIDTH = 0.6 * FONT_SIZE;
/// Where the milestones' names stand, right of the plot: from here to the right edge, less a margin.
constexpr double NAME_X = WIDTH - RIGHT + 14, NAME_ROOM = RIGHT - 14 - 6;
/// Line and name colours, each at least 4.5:1 against the white background (WCAG AA for text).
const char* const COLOURS[] = {"#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#b45309", "#00695c", "#4e342e", "#ad1457"};

struct Axis
{
    long from, to;
    double pixelsFrom, pixelsTo;
    [[nodiscard]] double at(long day) const
    {
        const double span = std::max(1L, to - from);
        return pixelsFrom + (pixelsTo - pixelsFrom) * static_cast<double>(day - from) / span;
    }
};

struct Series
{
    std::string title;
    std::vector<std::pair<long, long>> points; ///< (reporting day, forecast day)
    long reference = 0;
};

std::vector<Series> seriesOf(const Trend& trend)
{
    std::vector<Series> out;
    for (const auto& m : trend.milestones)
    {
        Series s{m.title, {}, m.comparedTo.days()};
        for (const auto& point : m.points)
            if (point.due)
                s.points.emplace_back(Date::parse(point.at)->days(), point.due->days());
        if (!s.points.empty())
            out.push_back(std::move(s));
    }
    return out;
}

std::string text(double x, double y, const std::string& anchor, const std::string& content,
                 const std::string& fill = "")
{
    std::ostringstream out;
    out << "<text x=\"" << x << "\" y=\"" << y << "\"" << (anchor.empty() ? "" : " text-anchor=\"" + anchor + "\"")
        << (fill.empty() ? "" : " fill=\"" + fill + "\"") << ">" << content << "</text>";
    return out.str();
}

/// Dates along both axes at five ticks each, with grid lines. A date across is about 72 units wide:
/// a tick whose label would touch the one before is left unlabelled.
void axisLabels(std::ostringstream& svg, const Axis& x, const Axis& y)
{
    const double dateWidth = 10 * CHARACTER_WIDTH;
    double lastRight = -1e9;
    for (int i = 0; i <= 4; ++i)
    {
        const long dx = x.from + (x.to - x.from) * i / 4, dy = y.from + (y.to - y.from) * i / 4;
        if (x.at(dx) - dateWidth / 2 > lastRight + CHARACTER_WIDTH)
        {
            svg << text(x.at(dx), HEIGHT - BOTTOM + 20, "middle", Date::fromDays(dx).toString());
            lastRight = x.at(dx) + dateWidth / 2;
        }
        svg << text(LEFT - 8, y.at(dy) + 4, "end", Date::fromDays(dy).toString());
        svg << "<line x1=\"" << LEFT << "\" x2=\"" << WIDTH - RIGHT << "\" y1=\"" << y.at(dy) << "\" y2=\"" << y.at(dy)
            << "\" stroke=\"#eee\"/>";
    }
}

/// The baselines of the milestones' names, one per milestone in `wanted` (each where its line ends),
/// moved apart by at least a label row and kept within [top, bottom]; nullopt for the names that do not
/// fit: those milestones are named by their line's <title> only.
std::vector<std::optional<double>> spreadNames(const std::vector<double>& wanted, double top, double bottom)
{
    std::vector<std::size_t> order(wanted.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return wanted[a] < wanted[b]; });
    const std::size_t fits = static_cast<std::size_t>((bottom - top) / LABEL_ROW) + 1;
    if (order.size() > fits)
        order.resize(fits); // the highest lines keep their names
    std::vector<double> placed(order.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        placed[k] = std::max({wanted[order[k]], top, k ? placed[k - 1] + LABEL_ROW : top});
    for (std::size_t k = order.size(); k-- > 0;)
        placed[k] = std::min(placed[k], k + 1 < order.size() ? placed[k + 1] - LABEL_ROW : bottom);
    std::vector<std::optional<double>> out(wanted.size());
    for (std::size_t k = 0; k < order.size(); ++k)
        out[order[k]] = placed[k];
    return out;
}

/// Each milestone's line through its forecasts, its reference mark, and its name at the line's end in its
/// colour (names spread so that none overlaps another).
void drawSeries(std::ostringstream& svg, const std::vector<Series>& series, const Axis& x, const Axis& y)
{
    std::vector<double> wanted;
    for (const auto& s : series)
        wanted.push_back(y.at(s.points.back().second) + 4);
    const auto nameAt = spreadNames(wanted, TOP + FONT_SIZE, HEIGHT - BOTTOM + 4);
    for (std::size_t i = 0; i < series.size(); ++i)
    {
        const auto& s = series[i];
        const char* colour = COLOURS[i % (sizeof COLOURS / sizeof *COLOURS)];
        svg << "<g><title>" << detail::escapeHtml(s.title) << "</title><polyline fill=\"none\" stroke=\"" << colour
            << "\" stroke-width=\"2\" points=\"";
        for (const auto& [at, due] : s.points)
            svg << x.at(at) << "," << y.at(due) << " ";
        svg << "\"/>";
        for (const auto& [at, due] : s.points)
            svg << "<circle cx=\"" << x.at(at) << "\" cy=\"" << y.at(due) << "\" r=\"3\" fill=\"" << colour << "\"/>";
        svg << "<line x1=\"" << WIDTH - RIGHT << "\" x2=\"" << WIDTH - RIGHT + 10 << "\" y1=\"" << y.at(s.reference)
            << "\" y2=\"" << y.at(s.reference) << "\" stroke=\"" << colour << "\" stroke-dasharray=\"3 2\"/>";
        if (nameAt[i])
            svg << text(
                NAME_X, *nameAt[i], "",
                detail::escapeHtml(domain::utf8::shortenedToEms(detail::oneLine(s.title), NAME_ROOM / FONT_SIZE)),
                colour);
        svg << "</g>";
    }
}

} // namespace

std::string trendChartSvg(const Trend& trend)
{
    const auto series = seriesOf(trend);
    long xFrom = 0, xTo = 0, yFrom = 0, yTo = 0;
    bool first = true;
    for (const auto& s : series)
        for (const auto& [at, due] : s.points)
        {
            xFrom = first ? at : std::min(xFrom, at), xTo = first ? at : std::max(xTo, at);
            yFrom = first ? std::min(due, s.reference) : std::min({yFrom, due, s.reference});
            yTo = first ? std::max(due, s.reference) : std::max({yTo, due, s.reference});
            first = false;
        }
    const Axis x{xFrom - 15, xTo + 15, LEFT, WIDTH - RIGHT}, y{yFrom - 15, yTo + 15, HEIGHT - BOTTOM, TOP};
    std::ostringstream svg;
    svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " << WIDTH << " " << HEIGHT
        << "\" font-family=\"sans-serif\" font-size=\"" << FONT_SIZE << "\" fill=\"#1f2933\" role=\"img\">";
    svg << "<title>Milestone trend analysis of " << detail::escapeHtml(trend.projectCode) << "</title>";
    // Its own white ground: the colours are chosen against it, whatever page shows the image.
    svg << "<rect x=\"0\" y=\"0\" width=\"" << WIDTH << "\" height=\"" << HEIGHT << "\" fill=\"#ffffff\"/>";
    if (series.empty())
        return svg.str() + text(20, 40, "", "No milestone history yet.") + "</svg>";
    svg << "<rect x=\"" << LEFT << "\" y=\"" << TOP << "\" width=\"" << WIDTH - LEFT - RIGHT << "\" height=\""
        << HEIGHT - TOP - BOTTOM << "\" fill=\"none\" stroke=\"#999\"/>";
    axisLabels(svg, x, y);
    // Where a forecast equals the reporting date: a milestone's line ends on it when it is reached.
    const long diagonalFrom = std::max(x.from, y.from), diagonalTo = std::min(x.to, y.to);
    if (diagonalFrom < diagonalTo)
        svg << "<line x1=\"" << x.at(diagonalFrom) << "\" y1=\"" << y.at(diagonalFrom) << "\" x2=\"" << x.at(diagonalTo)
            << "\" y2=\"" << y.at(diagonalTo) << "\" stroke=\"#bbb\" stroke-dasharray=\"2 3\"/>";
    drawSeries(svg, series, x, y);
    svg << text((LEFT + WIDTH - RIGHT) / 2, HEIGHT - 15, "middle", "reporting date");
    svg << text(15, TOP - 15, "", "forecast date") << "</svg>";
    return svg.str();
}

} // namespace captrack::report
