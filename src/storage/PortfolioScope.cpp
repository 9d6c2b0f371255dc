#include "captrack/storage/PortfolioScope.h"

namespace captrack::storage
{

namespace
{
/// From this many projects the child statements evaluate the filters again rather than list the ids.
constexpr std::size_t MOST_NAMED_PROJECTS = 1000;

/// From this many bound values a scope's SQL is taken as a list of ids, prepared for one use.
constexpr std::size_t MOST_VALUES_OF_A_REUSED_STATEMENT = 16;
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
    Condition in{"id IN (", {}};
    in.values.reserve(projectIds.size());
    for (const auto id : projectIds)
    {
        in.sql += in.values.empty() ? "?" : ",?";
        in.values.emplace_back(id);
    }
    in.sql += ")";
    return in;
}

Condition PortfolioScope::supportsMission(Poco::Int64 missionId)
{
    return {"id IN (SELECT project_id FROM mission_links WHERE mission_id = ?)", {Poco::Dynamic::Var(missionId)}};
}

void PortfolioScope::narrowTo(const std::vector<Poco::Int64>& projectIds)
{
    if (_unrestricted || projectIds.size() > MOST_NAMED_PROJECTS)
        return;
    if (projectIds.size() == 1)
    {
        _children = "project_id = ?";
        _childValues.assign(1, Poco::Dynamic::Var(projectIds.front()));
        return;
    }
    _listsIds = true;
    _children = "project_id IN (";
    for (std::size_t i = 0; i < projectIds.size(); ++i)
        _children += (i ? "," : "") + std::to_string(projectIds[i]);
    _children += ")";
    _childValues.clear();
}

bool PortfolioScope::isReusable() const noexcept
{
    return !_listsIds && _values.size() <= MOST_VALUES_OF_A_REUSED_STATEMENT &&
           _childValues.size() <= MOST_VALUES_OF_A_REUSED_STATEMENT;
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
