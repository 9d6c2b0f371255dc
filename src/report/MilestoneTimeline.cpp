#include "MilestoneTimeline.h"

#include "RenderText.h"
#include "SvgCharts.h"

#include "captrack/domain/Date.h"
#include "captrack/domain/Utf8.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace captrack::report::detail
{

using domain::Date;

namespace
{
const double VIEW_WIDTH = 960;
const double PLOT_LEFT = 300;
const double PLOT_RIGHT = 940;
const double AXIS_TOP = 32;
const double LANE_HEIGHT = 24;
const double FOOTER_HEIGHT = 24;
/// No text under 12 units; a character takes at most 0.6 of that across on average.
const double FONT_SIZE = 12;
const double CHARACTER_WIDTH = 0.6 * FONT_SIZE;
/// The milestone names stand left of the plot, 6 units in, 10 clear of its first marker.
const double LABEL_ROOM = PLOT_LEFT - 6 - 10;
const char* const RED = "#c62828";
const char* const DONE_GREEN = "#2e7d32";
const char* const ON_TRACK_BLUE = "#1565c0";
const char* const MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/// One milestone as the timeline draws it.
struct Lane
{
    std::string label;   ///< "M-12 Field trial"
    std::string tooltip; ///< the label with dates, slip and overdue days
    Date baseline = Date::fromDays(0);
    Date due = Date::fromDays(0);
    std::optional<Date> actual;
    bool done = false;
    bool late = false; ///< slip_days > 14 or overdue_days > 0
};

/// Month numbers since year 0 (year × 12 + month − 1) of a date, for month arithmetic.
long monthIndexOf(const Date& date)
{
    const std::string text = date.toString();
    return std::stol(text.substr(0, 4)) * 12 + std::stol(text.substr(5, 2)) - 1;
}

Date monthStart(long monthIndex)
{
    return Date::fromParts(static_cast<int>(monthIndex / 12), static_cast<unsigned>(monthIndex % 12 + 1), 1);
}

/// The shared date axis: whole months from the earliest to the latest date shown, widened to whole
/// tick steps so every tick falls on a step.
struct Axis
{
    long firstMonth = 0;
    long endMonth = 1; ///< exclusive
    long step = 1;     ///< months between ticks
    Date start = Date::fromDays(0);
    Date end = Date::fromDays(1);

    [[nodiscard]] double x(const Date& date) const
    {
        const double share = static_cast<double>(date.daysSince(start)) / static_cast<double>(end.daysSince(start));
        return PLOT_LEFT + share * (PLOT_RIGHT - PLOT_LEFT);
    }
};

Axis axisOver(const std::vector<Lane>& lanes, const Date& asOf)
{
    Date earliest = asOf, latest = asOf;
    for (const auto& lane : lanes)
        for (const Date& date : {lane.baseline, lane.due, lane.actual.value_or(lane.due)})
        {
            earliest = std::min(earliest, date);
            latest = std::max(latest, date);
        }
    // Ticks every 1, 2, 3 or 6 months or whole years: at most about sixteen, however long the span.
    const long span = monthIndexOf(latest) + 1 - monthIndexOf(earliest);
    Axis axis;
    axis.step = span <= 16 ? 1 : span <= 32 ? 2 : span <= 48 ? 3 : span <= 96 ? 6 : 12 * ((span + 191) / 192);
    axis.firstMonth = monthIndexOf(earliest) / axis.step * axis.step;
    axis.endMonth = (monthIndexOf(latest) / axis.step + 1) * axis.step;
    axis.start = monthStart(axis.firstMonth);
    axis.end = monthStart(axis.endMonth);
    return axis;
}

Lane laneOf(const domain::MilestoneFacts& milestone, const Date& asOf)
{
    Lane lane;
    lane.baseline = milestone.baseline;
    lane.due = milestone.due();
    lane.actual = milestone.actual;
    lane.done = milestone.isDone() && lane.actual.has_value();
    const Poco::Int64 slip = milestone.slipDays();
    const Poco::Int64 overdue = milestone.overdueDays(asOf);
    lane.late = slip > 14 || overdue > 0;
    lane.label = "M-" + std::to_string(milestone.id) + " " + oneLine(milestone.title);
    lane.tooltip =
        lane.label + " (" + humanName(domain::nameText(milestone.status)) + "): baseline " + lane.baseline.toString() +
        (lane.done ? ", done " + lane.actual->toString() : ", due " + lane.due.toString()) + ", slip " +
        std::to_string(slip) + " days" + (overdue > 0 ? ", overdue " + std::to_string(overdue) + " days" : "");
    return lane;
}

/// One row of tick labels: a label is drawn only where it keeps a character's width from the one before,
/// so labels never touch however the ticks fall.
class LabelRow
{
public:
    explicit LabelRow(std::string attributes) : _attributes(std::move(attributes)) {}
    /// Appends `<text>` at x (start-anchored) when it fits after the last one; false when left out.
    bool add(std::string& out, double x, double y, const std::string& text)
    {
        if (x < _right + CHARACTER_WIDTH)
            return false;
        out += "<text x=\"" + svgNumber(x) + "\" y=\"" + svgNumber(y) + "\" " + _attributes + ">" + text + "</text>";
        _right = x + CHARACTER_WIDTH * static_cast<double>(domain::utf8::codePointCount(text));
        return true;
    }

private:
    std::string _attributes;
    double _right = -1e9;
};

/// A tick line per axis step with its month name, and below it the year on the first tick and
/// wherever the year changes, so labels stay short enough for about sixteen ticks.
std::string monthTicks(const Axis& axis, double bottom)
{
    std::string out;
    long shownYear = -1;
    LabelRow months("font-size=\"12\" fill=\"#52606d\""),
        years("font-size=\"12\" font-weight=\"600\" fill=\"#3e4c59\"");
    for (long month = axis.firstMonth; month <= axis.endMonth; month += axis.step)
    {
        const double x = axis.x(monthStart(month));
        out += "<line x1=\"" + svgNumber(x) + "\" x2=\"" + svgNumber(x) + "\" y1=\"" + svgNumber(AXIS_TOP - 4) +
               "\" y2=\"" + svgNumber(bottom) + "\" stroke=\"#d9dee4\" stroke-width=\"1\"/>";
        if (x + 3 + 4 * CHARACTER_WIDTH > VIEW_WIDTH)
            continue; // the closing boundary: a label there would run off the chart
        months.add(out, x + 3, 12, MONTHS[month % 12]);
        if (const long year = month / 12; year != shownYear && years.add(out, x + 3, 26, std::to_string(year)))
            shownYear = year;
    }
    return out;
}

std::string circle(double x, double y, const std::string& fill, const std::string& stroke)
{
    return "<circle cx=\"" + svgNumber(x) + "\" cy=\"" + svgNumber(y) + "\" r=\"5\" fill=\"" + fill + "\" stroke=\"" +
           stroke + "\" stroke-width=\"2\"/>";
}

std::string diamond(double x, double y, const std::string& fill)
{
    return "<path d=\"M" + svgNumber(x) + " " + svgNumber(y - 7) + "l7 7-7 7-7-7z\" fill=\"" + fill +
           "\" stroke=\"#fff\" stroke-width=\"1\"/>";
}

std::string segment(double x1, double x2, double y, const std::string& stroke, const char* extra)
{
    return "<line x1=\"" + svgNumber(x1) + "\" x2=\"" + svgNumber(x2) + "\" y1=\"" + svgNumber(y) + "\" y2=\"" +
           svgNumber(y) + "\" stroke=\"" + stroke + "\" " + extra + "/>";
}

std::string laneMarkup(const Lane& lane, std::size_t index, const Axis& axis, const Date& asOf)
{
    const double top = AXIS_TOP + static_cast<double>(index) * LANE_HEIGHT;
    const double y = top + LANE_HEIGHT / 2;
    const std::string colour = lane.late ? RED : lane.done ? DONE_GREEN : ON_TRACK_BLUE;
    std::string out = "<g><title>" + escapeHtml(lane.tooltip) + "</title>";
    if (index % 2 == 0)
        out += "<rect x=\"0\" y=\"" + svgNumber(top) + "\" width=\"" + svgNumber(VIEW_WIDTH) + "\" height=\"" +
               svgNumber(LANE_HEIGHT) + "\" fill=\"#f5f7fa\"/>";
    out += "<text x=\"6\" y=\"" + svgNumber(y + 4) + "\" font-size=\"12\" fill=\"#1f2933\">" +
           escapeHtml(domain::utf8::shortenedToEms(lane.label, LABEL_ROOM / FONT_SIZE)) + "</text>";
    const double baselineX = axis.x(lane.baseline);
    const double endX = axis.x(lane.done ? *lane.actual : lane.due);
    if (!lane.done && lane.due < asOf) // open and overdue: show the time lost up to the as-of day
        out += segment(endX, axis.x(asOf), y, RED, "stroke-width=\"1.5\" stroke-dasharray=\"3 3\"");
    out += segment(baselineX, endX, y, colour, "stroke-width=\"2.5\"");
    out += circle(baselineX, y, "#fff", "#52606d");
    out += lane.done ? diamond(endX, y, colour) : circle(endX, y, colour, colour);
    return out + "</g>";
}

std::string asOfLine(const Axis& axis, const Date& asOf, double bottom)
{
    const double x = axis.x(asOf);
    const char* anchor = x < PLOT_LEFT + 50 ? "start" : x > PLOT_RIGHT - 50 ? "end" : "middle";
    return "<line x1=\"" + svgNumber(x) + "\" x2=\"" + svgNumber(x) + "\" y1=\"" + svgNumber(AXIS_TOP - 6) +
           "\" y2=\"" + svgNumber(bottom + 4) +
           "\" stroke=\"#1f2933\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>" + "<text x=\"" + svgNumber(x) +
           "\" y=\"" + svgNumber(bottom + 17) + "\" font-size=\"12\" text-anchor=\"" + anchor +
           "\" fill=\"#1f2933\">as of " + asOf.toString() + "</text>";
}

std::string svgOpen(const TimelineProject& project, std::size_t laneCount, std::size_t lateCount,
                    const std::string& idPrefix)
{
    const std::string height = svgNumber(AXIS_TOP + static_cast<double>(laneCount) * LANE_HEIGHT + FOOTER_HEIGHT);
    const std::string code = escapeHtml(project.code);
    return "<svg class=\"timeline\" viewBox=\"0 0 " + svgNumber(VIEW_WIDTH) + " " + height + "\" width=\"" +
           svgNumber(VIEW_WIDTH) + "\" height=\"" + height + "\" role=\"img\" aria-labelledby=\"" + idPrefix +
           "-title " + idPrefix + "-desc\"><title id=\"" + idPrefix + "-title\">Milestone timeline of " + code +
           "</title><desc id=\"" + idPrefix + "-desc\">" + std::to_string(laneCount) + " milestones; " +
           std::to_string(lateCount) + " slipped more than 14 days or overdue.</desc><rect x=\"0\" y=\"0\" width=\"" +
           svgNumber(VIEW_WIDTH) + "\" height=\"" + height + "\" fill=\"#ffffff\"/>";
}
} // namespace

std::string milestoneTimeline(const TimelineProject& project, const Date& asOf, const std::string& idPrefix)
{
    std::vector<Lane> lanes;
    for (std::size_t i = 0; i < project.milestones.size() && lanes.size() < MAX_TIMELINE_LANES; ++i)
        lanes.push_back(laneOf(project.milestones[i], asOf));
    if (lanes.empty())
        return "<p class=\"note\">No milestones to draw.</p>\n";
    const Axis axis = axisOver(lanes, asOf);
    const double bottom = AXIS_TOP + static_cast<double>(lanes.size()) * LANE_HEIGHT;
    const auto lateCount =
        static_cast<std::size_t>(std::count_if(lanes.begin(), lanes.end(), [](const Lane& lane) { return lane.late; }));
    std::string svg = svgOpen(project, lanes.size(), lateCount, idPrefix) + monthTicks(axis, bottom);
    for (std::size_t i = 0; i < lanes.size(); ++i)
        svg += laneMarkup(lanes[i], i, axis, asOf);
    svg += asOfLine(axis, asOf, bottom) + "</svg>\n";
    if (project.milestones.size() > lanes.size())
        svg += "<p class=\"note\">Showing " + std::to_string(lanes.size()) + " of " +
               std::to_string(project.milestones.size()) + " milestones.</p>\n";
    return svg;
}

std::string timelineLegend()
{
    const auto marker = [](const std::string& shape, const char* text) {
        return "<span><svg viewBox=\"-8 -8 16 16\" width=\"14\" height=\"14\" aria-hidden=\"true\">" + shape +
               "</svg> " + text + "</span>";
    };
    return "<div class=\"legend\">" + marker(circle(0, 0, "#fff", "#52606d"), "baseline") +
           marker(circle(0, 0, ON_TRACK_BLUE, ON_TRACK_BLUE), "forecast / due") +
           marker(diamond(0, 0, DONE_GREEN), "done (actual date)") +
           marker(circle(0, 0, RED, RED), "slipped more than 14 days or overdue") +
           marker("<line x1=\"0\" x2=\"0\" y1=\"-8\" y2=\"8\" stroke=\"#1f2933\" stroke-width=\"2\" "
                  "stroke-dasharray=\"3 2\"/>",
                  "as-of day") +
           "</div>\n";
}

} // namespace captrack::report::detail
