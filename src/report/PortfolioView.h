#pragma once

// Folder-private: the portfolio report JSON read into plain values once, so the CSV, Markdown and
// HTML renderers show the same numbers.

#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace captrack::report::detail
{

/// One row of the report (or its totals), with numbers as in the JSON.
struct GroupRow
{
    bool hasKey = false; ///< false for the row of projects without a key, and for totals
    std::string key;
    std::string label;
    Poco::Int64 projects = 0;
    Poco::Int64 green = 0, amber = 0, red = 0, none = 0;
    Poco::Int64 milestonesTotal = 0, milestonesDone = 0, milestonesOverdue = 0;
    Poco::Int64 budgetEur = 0, pledgedEur = 0, committedEur = 0, deliveredEur = 0;
    std::string personMonths; ///< written as the JSON writes it
};

/// One entry of the overdue or due-soon list.
struct MilestoneItem
{
    std::string projectCode;
    std::string milestoneId;
    std::string title;
    std::string due;
    Poco::Int64 days = 0; ///< overdue_days or days_left
};

/// One of the report's milestone lists with its uncut length.
struct MilestoneList
{
    std::vector<MilestoneItem> items;
    Poco::Int64 total = 0;

    /// "showing N of TOTAL" when the list was cut, else "".
    [[nodiscard]] std::string cutNote() const;
};

/// The report's `rows`, in order.
[[nodiscard]] std::vector<GroupRow> groupRowsOf(const Poco::JSON::Object& report);

/// The report's `totals`.
[[nodiscard]] GroupRow totalsOf(const Poco::JSON::Object& report);

/// The list at `listKey` ("overdue", "due_soon") with days from `daysKey` and the length from
/// `<listKey>_total` (the list's size when that is missing).
[[nodiscard]] MilestoneList milestoneListOf(const Poco::JSON::Object& report, const std::string& listKey,
                                            const std::string& daysKey);

} // namespace captrack::report::detail
