#include "captrack/storage/ProjectVisibility.h"

#include "NullableColumns.h"
#include "captrack/domain/Vocabulary.h"

namespace captrack::storage
{

using Poco::Dynamic::Var;
using namespace Poco::Data::Keywords;

Condition ProjectVisibility::visibleToPartner(Poco::Int64 partnerId)
{
    using domain::Visibility;
    // A correlated EXISTS (one index probe for the row at hand) rather than `id IN (SELECT ...)`,
    // which builds the partner's whole project set the first time a row needs it: a lookup that
    // finds a hidden `participants` project then costs about what finding nothing costs.
    return {
        "projects.visibility = '" + domain::nameText(Visibility::Public) + "' OR (projects.visibility = '" +
            domain::nameText(Visibility::Participants) +
            "' AND EXISTS (SELECT 1 FROM contributions vc WHERE vc.project_id = projects.id AND vc.partner_id = ?))",
        {Var(partnerId)}};
}

Condition ProjectVisibility::childrenOf(const Condition& projects)
{
    return {"project_id IN (SELECT id FROM projects WHERE " + projects.sql + ")", projects.values};
}

Condition ProjectVisibility::nothing()
{
    return {"1 = 0", {}};
}

bool ProjectVisibility::projectMeets(Poco::Data::Session& session, Poco::Int64 projectId, const Condition& projects)
{
    Poco::Data::Statement select(session);
    Poco::Int64 count = 0;
    select << "SELECT COUNT(*) FROM projects WHERE id = ?" +
                  (projects.sql.empty() ? std::string() : " AND (" + projects.sql + ")");
    bindValue(select, Var(projectId));
    for (const auto& value : projects.values)
        bindValue(select, value);
    select, into(count);
    select.execute();
    return count > 0;
}

std::optional<Poco::Int64> ProjectVisibility::leadOf(Poco::Data::Session& session, Poco::Int64 projectId)
{
    Poco::Nullable<Poco::Int64> lead;
    session << "SELECT lead_user_id FROM projects WHERE id = ?", use(projectId), into(lead), now;
    return optionalOf(lead);
}

} // namespace captrack::storage
