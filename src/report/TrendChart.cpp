#include "captrack/report/TrendChart.h"

#include "RenderText.h"
#include "captrack/domain/Date.h"
#include "captrack/domain/Utf8.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <sstream>
#include <vector>

namespace captrack::report
{

using domain::Date;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace
{
constexpr double WIDTH = 860, HEIGHT = 520, LEFT = 90, RIGHT = 200, TOP = 40, BOTTOM = 60;
const char* const COLOURS[] = {"#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#4e342e", "#ad1457"};

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

std::vector<Series> seriesOf(const Object& trend)
{
    std::vector<Series> out;
    const auto milestones = trend.getArray("milestones");
    for (std::size_t i = 0; milestones && i < milestones->size(); ++i)
    {
        const auto m = milestones->getObject(static_cast<unsigned>(i));
        Series s{m->getValue<std::string>("title"), {}, Date::parse(m->getValue<std::string>("compared_to"))->days()};
        const auto points = m->getArray("points");
        for (std::size_t k = 0; points && k < points->size(); ++k)
        {
            const auto p = points->getObject(static_cast<unsigned>(k));
            if (!p->get("due").isEmpty())
                s.points.emplace_back(Date::parse(p->getValue<std::string>("at"))->days(),
                                      Date::parse(p->getValue<std::string>("due"))->days());
        }
        if (!s.points.empty())
            out.push_back(std::move(s));
    }
    return out;
}

void axisLabels(std::ostringstream& svg, const Axis& x, const Axis& y)
{
    for (int i = 0; i <= 4; ++i)
    {
        const long dx = x.from + (x.to - x.from) * i / 4, dy = y.from + (y.to - y.from) * i / 4;
        svg << "<text x=\"" << x.at(dx) << "\" y=\"" << HEIGHT - BOTTOM + 20 << "\" text-anchor=\"middle\">"
            << Date::fromDays(dx).toString() << "</text>";
        svg << "<text x=\"" << LEFT - 8 << "\" y=\"" << y.at(dy) + 4 << "\" text-anchor=\"end\">"
            << Date::fromDays(dy).toString() << "</text>";
        svg << "<line x1=\"" << LEFT << "\" x2=\"" << WIDTH - RIGHT << "\" y1=\"" << y.at(dy) << "\" y2=\"" << y.at(dy)
            << "\" stroke=\"#eee\"/>";
    }
}
} // namespace

std::string trendChartSvg(const Object& trend)
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
        << "\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">";
    svg << "<title>Milestone trend analysis of " << detail::escapeHtml(trend.optValue<std::string>("project_code", ""))
        << "</title>";
    if (series.empty())
        return svg.str() + "<text x=\"20\" y=\"40\">No milestone history yet.</text></svg>";
    svg << "<rect x=\"" << LEFT << "\" y=\"" << TOP << "\" width=\"" << WIDTH - LEFT - RIGHT << "\" height=\""
        << HEIGHT - TOP - BOTTOM << "\" fill=\"none\" stroke=\"#999\"/>";
    axisLabels(svg, x, y);
    // Where a forecast equals the reporting date: a milestone's line ends on it when it is reached.
    const long diagonalFrom = std::max(x.from, y.from), diagonalTo = std::min(x.to, y.to);
    if (diagonalFrom < diagonalTo)
        svg << "<line x1=\"" << x.at(diagonalFrom) << "\" y1=\"" << y.at(diagonalFrom) << "\" x2=\"" << x.at(diagonalTo)
            << "\" y2=\"" << y.at(diagonalTo) << "\" stroke=\"#bbb\" stroke-dasharray=\"2 3\"/>";
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
        svg << "<text x=\"" << WIDTH - RIGHT + 14 << "\" y=\"" << y.at(s.points.back().second) + 4 << "\" fill=\""
            << colour << "\">" << detail::escapeHtml(domain::utf8::shortened(detail::oneLine(s.title), 28))
            << "</text></g>";
    }
    svg << "<text x=\"" << (LEFT + WIDTH - RIGHT) / 2 << "\" y=\"" << HEIGHT - 15
        << "\" text-anchor=\"middle\">reporting date</text>";
    svg << "<text x=\"15\" y=\"" << TOP - 15 << "\">forecast date</text></svg>";
    return svg.str();
}

} // namespace captrack::report
