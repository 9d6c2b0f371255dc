#include "captrack/storage/PortfolioScope.h"

namespace captrack::storage
{

namespace
{
/// From this many projects the child statements evaluate the filters again rather than list the ids.
constexpr std::size_t MOST_NAMED_PROJECTS = 1000;
} // namespace

PortfolioScope::PortfolioScope(std::vector<Condition> filters, const Condition& visibility)
{
    filters.push_back(visibility);
    auto all = allOf(filters);
    _unrestricted = all.sql.empty();
    _where = _unrestricted ? "1 = 1" : std::move(all.sql);
    _values = std::move(all.values);
    _childValues = _values;
    _children = "project_id IN (SELECT id FROM projects WHERE " + _where + ")";
}

Condition PortfolioScope::projectIs(Poco::Int64 projectId)
{
    return {"id = ?", {Poco::Dynamic::Var(projectId)}};
}

Condition PortfolioScope::projectIn(const std::vector<Poco::Int64>& projectIds)
{
    if (projectIds.empty())
        return {"1 = 0", {}};
    std::string list;
    for (const auto id : projectIds)
        list += (list.empty() ? "" : ",") + std::to_string(id);
    return {"id IN (" + list + ")", {}};
}

Condition PortfolioScope::supportsMission(Poco::Int64 missionId)
{
    return {"id IN (SELECT project_id FROM mission_links WHERE mission_id = ?)", {Poco::Dynamic::Var(missionId)}};
}

void PortfolioScope::narrowTo(const std::vector<Poco::Int64>& projectIds)
{
    if (_unrestricted || projectIds.size() > MOST_NAMED_PROJECTS)
        return;
    _children = "project_id IN (";
    for (std::size_t i = 0; i < projectIds.size(); ++i)
        _children += (i ? "," : "") + std::to_string(projectIds[i]);
    _children += ")";
    _childValues.clear();
}

std::string PortfolioScope::childFilter(const std::string& keyword, const std::string& alias) const
{
    return _unrestricted ? std::string() : " " + keyword + " " + alias + _children;
}

void PortfolioScope::bindProjectsTo(Poco::Data::Statement& statement) const
{
    for (const auto& value : _values)
        bindValue(statement, value);
}

void PortfolioScope::bindChildrenTo(Poco::Data::Statement& statement) const
{
    for (const auto& value : _childValues)
        bindValue(statement, value);
}

} // namespace captrack::storage
