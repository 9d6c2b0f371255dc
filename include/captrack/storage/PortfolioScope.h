#pragma once

#include "captrack/storage/RecordStore.h"

#include <Poco/Data/Statement.h>
#include <Poco/Types.h>

#include <string>
#include <vector>

namespace captrack::storage
{

/// Which projects a portfolio read covers: the caller's filters and the principal's visibility over
/// `projects`, and how the child tables (milestones, contributions, links) name those projects. Built by
/// the report layer from opaque Conditions and read by PortfolioRows. A value; not shared between threads
/// while narrowTo() may run.
class PortfolioScope
{
public:
    /// Every project that meets all of `filters` and `visibility` (each may be empty: no restriction).
    PortfolioScope(std::vector<Condition> filters, const Condition& visibility);

    /// The condition "the project with this id".
    [[nodiscard]] static Condition projectIs(Poco::Int64 projectId);
    /// The condition "the project is one of these" (one placeholder per project).
    [[nodiscard]] static Condition projectIn(const std::vector<Poco::Int64>& projectIds);
    /// The condition "the project supports (is linked to) this mission".
    [[nodiscard]] static Condition supportsMission(Poco::Int64 missionId);

    /// After the projects are read: when they are few (a summary, a narrow filter), the child statements
    /// name their ids rather than evaluate the filters again. Never throws but std::bad_alloc.
    void narrowTo(const std::vector<Poco::Int64>& projectIds);

    /// Whether the scope's SQL is worth keeping prepared on the session: false once it lists ids (more
    /// than one narrowed project, or many bound values), whose statements would push the request paths'
    /// statements out of the session's cache (a summary's scope of one project is reusable).
    [[nodiscard]] bool isReusable() const noexcept;

private:
    friend class PortfolioRows;
    friend class RollupRows;

    /// "(c1) AND (c2)" over `projects`, or "1 = 1"; its values bound by bindProjectsTo().
    [[nodiscard]] const std::string& projectsWhere() const noexcept { return _where; }
    void bindProjectsTo(Poco::Data::Statement& statement) const;
    /// " <keyword> <alias>project_id IN (...)" for a child statement, "" when every project is in scope;
    /// its values bound by bindChildrenTo().
    [[nodiscard]] std::string childFilter(const std::string& keyword, const std::string& alias = "") const;
    void bindChildrenTo(Poco::Data::Statement& statement) const;

    std::string _where;
    std::vector<Poco::Dynamic::Var> _values;
    bool _unrestricted = false;
    std::string _children;
    std::vector<Poco::Dynamic::Var> _childValues;
    bool _listsIds = false;
};

} // namespace captrack::storage
