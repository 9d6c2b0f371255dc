#pragma once

#include "captrack/storage/RecordStore.h"

#include <Poco/Data/Session.h>

#include <optional>

namespace captrack::storage
{

/// The SQL side of "which projects a partner may see" (docs/DOMAIN.md "Visibility"): the decision of
/// who sees what is service::AccessPolicy's; this class only states it over the tables. The statements
/// run on the caller's session (and so in its transaction). Stateless; safe for concurrent use.
class ProjectVisibility
{
public:
    /// The condition over the table `projects` (not aliased) of the projects a partner sees: the public
    /// ones and the `participants` ones it contributes to.
    [[nodiscard]] static Condition visibleToPartner(Poco::Int64 partnerId);
    /// The condition over a project child's table (a `project_id` column) of the rows whose project
    /// meets `projects`, a condition over `projects`.
    [[nodiscard]] static Condition childrenOf(const Condition& projects);
    /// A condition that no row meets.
    [[nodiscard]] static Condition nothing();
    /// True when the project exists and meets `projects` (any project when its SQL is empty). One
    /// statement; throws the driver's exceptions.
    [[nodiscard]] static bool projectMeets(Poco::Data::Session& session, Poco::Int64 projectId,
                                           const Condition& projects);
    /// The project's lead (users.id), or none when it has none or does not exist.
    [[nodiscard]] static std::optional<Poco::Int64> leadOf(Poco::Data::Session& session, Poco::Int64 projectId);
};

} // namespace captrack::storage
