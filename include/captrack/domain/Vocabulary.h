#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace captrack::domain
{

/// The closed sets of the domain (docs/DOMAIN.md). Code above the edges compares these, never their
/// names: a typo is a compile error, not a silent wrong answer. Each set's names, in the order of its
/// enumerators, are the words stored in the database and spoken by the API; they are converted once, at
/// the storage and JSON edges, with nameOf() and parseName().

/// Computed or declared health. "None" (no health: a project whose status has none) is an empty
/// std::optional<Health>, never a fourth value.
enum class Health
{
    Green,
    Amber,
    Red,
};

enum class ProjectStatus
{
    Pipeline,
    Implementation,
    Finalisation,
    Closed,
    Cancelled,
    Suspended,
};

enum class ProjectKind
{
    Capability,
    Scientific,
};

/// Who may see a project: everyone, the partners that contribute to it, or staff only.
enum class Visibility
{
    Public,
    Participants,
    Restricted,
};

enum class MilestoneStatus
{
    Planned,
    InProgress,
    Done,
    Cancelled,
};

enum class ContributionRole
{
    LeadNation,
    CoDirector,
    Contributor,
    Observer,
    EndUser,
};

enum class ContributionKind
{
    Funding,
    Personnel,
    Equipment,
    Facilities,
    Expertise,
    Training,
    Data,
};

enum class ContributionState
{
    Pledged,
    Committed,
    Delivered,
};

enum class PartnerKind
{
    Nation,
    Organisation,
};

enum class PartnerStatus
{
    Active,
    Suspended,
    FormerPartner,
};

enum class MissionKind
{
    Operation,
    Mission,
    Activity,
};

enum class MissionRelation
{
    DirectSupport,
    Interoperability,
    CapacityBuilding,
    LessonsLearned,
};

/// The four roles (docs/DOMAIN.md "Who uses it"). There is no "anonymous" role: a request that has not
/// signed in has no Principal at all (see http::ApiRequest::principal).
enum class Role
{
    Admin,
    Lead,
    Reviewer,
    Partner,
};

/// Every kind of thing the server stores and audits, by the singular name used in audit events,
/// errors and routes.
enum class Entity
{
    Partner,
    Mission,
    CapabilityArea,
    Objective,
    Project,
    Milestone,
    Contribution,
    MissionLink,
    User,
    Baseline,
    ApiToken,
    Snapshot, ///< a published report snapshot
    Webhook,
};

/// What a webhook endpoint may subscribe to (docs/HTTP.md "Webhooks").
enum class WebhookEvent
{
    ContributionChanged,
    MilestoneChanged,
    ProjectHealthChanged,
    SnapshotPublished,
};

/// The names of a closed set, one per enumerator in declaration order, and the set's own name (the key
/// it has in GET /api/v1/meta). Specialised once per enumeration below.
template <typename E> struct Names;

#define CAPTRACK_NAMES(E, key, ...)                                                                                    \
    template <> struct Names<E>                                                                                        \
    {                                                                                                                  \
        static constexpr std::string_view set = key;                                                                   \
        static constexpr std::array list{__VA_ARGS__};                                                                 \
    }

using namespace std::string_view_literals;
CAPTRACK_NAMES(Health, "health", "green"sv, "amber"sv, "red"sv);
CAPTRACK_NAMES(ProjectStatus, "project_status", "pipeline"sv, "implementation"sv, "finalisation"sv, "closed"sv,
               "cancelled"sv, "suspended"sv);
CAPTRACK_NAMES(ProjectKind, "project_kind", "capability"sv, "scientific"sv);
CAPTRACK_NAMES(Visibility, "visibility", "public"sv, "participants"sv, "restricted"sv);
CAPTRACK_NAMES(MilestoneStatus, "milestone_status", "planned"sv, "in_progress"sv, "done"sv, "cancelled"sv);
CAPTRACK_NAMES(ContributionRole, "contribution_role", "lead_nation"sv, "co_director"sv, "contributor"sv, "observer"sv,
               "end_user"sv);
CAPTRACK_NAMES(ContributionKind, "contribution_kind", "funding"sv, "personnel"sv, "equipment"sv, "facilities"sv,
               "expertise"sv, "training"sv, "data"sv);
CAPTRACK_NAMES(ContributionState, "contribution_state", "pledged"sv, "committed"sv, "delivered"sv);
CAPTRACK_NAMES(PartnerKind, "partner_kind", "nation"sv, "organisation"sv);
CAPTRACK_NAMES(PartnerStatus, "partner_status", "active"sv, "suspended"sv, "former_partner"sv);
CAPTRACK_NAMES(MissionKind, "mission_kind", "operation"sv, "mission"sv, "activity"sv);
CAPTRACK_NAMES(MissionRelation, "mission_relation", "direct_support"sv, "interoperability"sv, "capacity_building"sv,
               "lessons_learned"sv);
CAPTRACK_NAMES(Role, "role", "admin"sv, "lead"sv, "reviewer"sv, "partner"sv);
CAPTRACK_NAMES(Entity, "entity", "partner"sv, "mission"sv, "capability_area"sv, "objective"sv, "project"sv,
               "milestone"sv, "contribution"sv, "mission_link"sv, "user"sv, "baseline"sv, "api_token"sv,
               "report_snapshot"sv, "webhook"sv);
CAPTRACK_NAMES(WebhookEvent, "webhook_event", "contribution.changed"sv, "milestone.changed"sv,
               "project.health_changed"sv, "snapshot.published"sv);
#undef CAPTRACK_NAMES

/// The stored and spoken name of a value. Never throws.
template <typename E> [[nodiscard]] constexpr std::string_view nameOf(E value) noexcept
{
    return Names<E>::list[static_cast<std::size_t>(value)];
}

/// The same as a std::string, for JSON objects and SQL parameters.
template <typename E> [[nodiscard]] std::string nameText(E value)
{
    return std::string(nameOf(value));
}

/// The value with this name, or none when the name is not one of the set's (exact, case-sensitive).
template <typename E> [[nodiscard]] constexpr std::optional<E> parseName(std::string_view name) noexcept
{
    for (std::size_t i = 0; i < Names<E>::list.size(); ++i)
        if (Names<E>::list[i] == name)
            return static_cast<E>(i);
    return std::nullopt;
}

/// The value of a name read from the database, where only the set's names can be: throws
/// std::runtime_error (a server fault, never a client's) naming the set when it is not one of them.
template <typename E> [[nodiscard]] E storedValue(std::string_view name)
{
    if (const auto value = parseName<E>(name))
        return *value;
    throw std::runtime_error("the database holds '" + std::string(name) + "', which is not a " +
                             std::string(Names<E>::set));
}

/// Every value of the set, in declaration order.
template <typename E> [[nodiscard]] constexpr auto allValues() noexcept
{
    std::array<E, Names<E>::list.size()> values{};
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = static_cast<E>(i);
    return values;
}

/// Every name of the set, in declaration order (a resource field's allowed values).
template <typename E> [[nodiscard]] std::vector<std::string> namesOf()
{
    return {Names<E>::list.begin(), Names<E>::list.end()};
}

/// One closed set by its key and names, for GET /api/v1/meta.
struct NamedSet
{
    std::string_view key;
    std::vector<std::string> names;
};

/// Every closed set above, in a fixed order.
[[nodiscard]] std::vector<NamedSet> everyNamedSet();

} // namespace captrack::domain
