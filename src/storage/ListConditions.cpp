#include "captrack/storage/ListConditions.h"

#include "captrack/domain/Vocabulary.h"

#include <Poco/UTF8String.h>

namespace captrack::storage
{

using Poco::Dynamic::Var;

namespace
{
std::string questionMarks(std::size_t n)
{
    std::string marks;
    for (std::size_t i = 0; i < n; ++i)
        marks += i ? ", ?" : "?";
    return marks;
}

/// `alias.id IN (...) OR alias.code IN (...)` for a list mixing ids and codes.
Condition codeOrId(const std::string& alias, const std::vector<Poco::Int64>& ids, const std::vector<std::string>& codes)
{
    Condition condition;
    if (!ids.empty())
        condition.sql = alias + ".id IN (" + questionMarks(ids.size()) + ")";
    if (!codes.empty())
        condition.sql +=
            (condition.sql.empty() ? "" : " OR ") + alias + ".code IN (" + questionMarks(codes.size()) + ")";
    condition.values.assign(ids.begin(), ids.end());
    condition.values.insert(condition.values.end(), codes.begin(), codes.end());
    return condition;
}

Condition wrap(const std::string& prefix, Condition inner, const std::string& suffix)
{
    inner.sql = prefix + "(" + inner.sql + ")" + suffix;
    return inner;
}

const char* const PROJECTS_OF_PARTNERS =
    "id IN (SELECT c.project_id FROM contributions c JOIN partners p ON p.id = c.partner_id WHERE ";
} // namespace

Condition ListConditions::idIs(Poco::Int64 id)
{
    return {"id = ?", {Var(id)}};
}

Condition ListConditions::codeIs(const std::string& code)
{
    return {"code = ?", {Var(code)}};
}

Condition ListConditions::idIn(const std::vector<Poco::Int64>& ids)
{
    if (ids.empty())
        return {"1 = 0", {}};
    return {"id IN (" + questionMarks(ids.size()) + ")", std::vector<Var>(ids.begin(), ids.end())};
}

Condition ListConditions::fieldIs(const std::string& column, const Var& value)
{
    return {column + " = ?", {value}};
}

Condition ListConditions::fieldIn(const std::string& column, const std::vector<Var>& values)
{
    return {column + " IN (" + questionMarks(values.size()) + ")", values};
}

Condition ListConditions::textSearch(const std::vector<std::string>& columns, const std::string& text)
{
    // `!` escapes LIKE's wildcards the same way in SQLite and MySQL.
    std::string pattern = "%";
    for (char c : Poco::UTF8::toLower(text))
    {
        if (c == '%' || c == '_' || c == '!')
            pattern += '!';
        pattern += c;
    }
    pattern += "%";
    Condition condition;
    for (const auto& column : columns)
    {
        condition.sql += (condition.sql.empty() ? "" : " OR ") + std::string("LOWER(") + column + ") LIKE ? ESCAPE '!'";
        condition.values.emplace_back(pattern);
    }
    return condition;
}

Condition ListConditions::missionLink(Poco::Int64 projectId, Poco::Int64 missionId)
{
    return {"project_id = ? AND mission_id = ?", {Var(projectId), Var(missionId)}};
}

Condition ListConditions::projectsWithPartner(const std::vector<Poco::Int64>& ids,
                                              const std::vector<std::string>& codes)
{
    return wrap(PROJECTS_OF_PARTNERS, codeOrId("p", ids, codes), ")");
}

Condition ListConditions::projectsWithFramework(const std::vector<std::string>& frameworks)
{
    return wrap(PROJECTS_OF_PARTNERS,
                {"p.framework IN (" + questionMarks(frameworks.size()) + ")",
                 std::vector<Var>(frameworks.begin(), frameworks.end())},
                ")");
}

Condition ListConditions::projectsWithMission(const std::vector<Poco::Int64>& ids,
                                              const std::vector<std::string>& codes)
{
    return wrap("id IN (SELECT l.project_id FROM mission_links l JOIN missions m ON m.id = l.mission_id WHERE ",
                codeOrId("m", ids, codes), ")");
}

Condition ListConditions::projectsWithObjective(const std::vector<std::string>& codes)
{
    return {"id IN (SELECT project_id FROM project_objectives WHERE objective_code IN (" + questionMarks(codes.size()) +
                "))",
            std::vector<Var>(codes.begin(), codes.end())};
}

ListQuery ListConditions::openMilestonesOfLead(Poco::Int64 leadUserId, const domain::Date& dueBy,
                                               const domain::Date& changedBefore, std::size_t limit)
{
    using domain::MilestoneStatus;
    ListQuery query;
    query.conditions.push_back({"project_id IN (SELECT id FROM projects WHERE lead_user_id = ?)", {Var(leadUserId)}});
    query.conditions.push_back({"status NOT IN ('" + domain::nameText(MilestoneStatus::Done) + "', '" +
                                    domain::nameText(MilestoneStatus::Cancelled) + "')",
                                {}});
    // updated_at is RFC 3339: a day YYYY-MM-DD compares lower than any time on it.
    query.conditions.push_back({"(COALESCE(forecast_date, baseline_date) <= ? OR updated_at < ?)",
                                {Var(dueBy.toString()), Var(changedBefore.toString())}});
    // Overdue days (most first) then due date is the due date, earliest first: the overdue ones are
    // exactly those due before the as-of day. Then the project's code; RecordStore adds the id.
    query.sort = {{"COALESCE(forecast_date, baseline_date)", false},
                  {"(SELECT p.code FROM projects p WHERE p.id = milestones.project_id)", false}};
    query.limit = limit;
    return query;
}

} // namespace captrack::storage
