#pragma once

#include "captrack/domain/Date.h"
#include "captrack/storage/RecordStore.h"

#include <string>
#include <vector>

namespace captrack::storage
{

/// The SQL conditions the layers above ask for in domain terms, as opaque storage::Condition values
/// they hand back to RecordStore (lists, lookups by id or code, filters). Every function is pure: it
/// builds text and parameters, runs nothing, never throws (apart from std::bad_alloc) and is safe to
/// call from any thread. Column names come from a domain::ResourceSpec, never from a client.
class ListConditions
{
public:
    /// The row with this id.
    [[nodiscard]] static Condition idIs(Poco::Int64 id);
    /// The row with this code.
    [[nodiscard]] static Condition codeIs(const std::string& code);
    /// The rows whose id is one of `ids` ("1 = 0" when there is none).
    [[nodiscard]] static Condition idIn(const std::vector<Poco::Int64>& ids);
    /// The rows whose `column` (a spec field) equals the value.
    [[nodiscard]] static Condition fieldIs(const std::string& column, const Poco::Dynamic::Var& value);
    /// The rows whose `column` (a spec field) is one of the values (at least one).
    [[nodiscard]] static Condition fieldIn(const std::string& column, const std::vector<Poco::Dynamic::Var>& values);
    /// A case-insensitive substring search for `text` over the columns (any of them matches); LIKE's
    /// wildcards in the text match themselves.
    [[nodiscard]] static Condition textSearch(const std::vector<std::string>& columns, const std::string& text);
    /// The mission link of a project to a mission (over mission_links).
    [[nodiscard]] static Condition missionLink(Poco::Int64 projectId, Poco::Int64 missionId);

    /// Projects (over `projects`) with a contribution of a partner named by id or code (at least one of both).
    [[nodiscard]] static Condition projectsWithPartner(const std::vector<Poco::Int64>& ids,
                                                       const std::vector<std::string>& codes);
    /// Projects with a contribution of a partner of one of these frameworks (at least one).
    [[nodiscard]] static Condition projectsWithFramework(const std::vector<std::string>& frameworks);
    /// Projects linked to a mission named by id or code (at least one of both).
    [[nodiscard]] static Condition projectsWithMission(const std::vector<Poco::Int64>& ids,
                                                       const std::vector<std::string>& codes);
    /// Projects that serve one of these objectives (codes, at least one).
    [[nodiscard]] static Condition projectsWithObjective(const std::vector<std::string>& codes);

    /// The milestones (over `milestones`) of the projects `leadUserId` leads that are open (neither done
    /// nor cancelled) and due by `dueBy` or last changed before the day `changedBefore`: sorted by due
    /// date, then project code (RecordStore adds the id), at most `limit` of them.
    [[nodiscard]] static ListQuery openMilestonesOfLead(Poco::Int64 leadUserId, const domain::Date& dueBy,
                                                        const domain::Date& changedBefore, std::size_t limit);
};

} // namespace captrack::storage
