#include "captrack/domain/Vocabulary.h"

namespace captrack::domain
{

namespace
{
template <typename... E> std::vector<NamedSet> setsOf()
{
    return {NamedSet{Names<E>::set, namesOf<E>()}...};
}
} // namespace

std::vector<NamedSet> everyNamedSet()
{
    return setsOf<Health, ProjectStatus, ProjectKind, Visibility, MilestoneStatus, ContributionRole, ContributionKind,
                  ContributionState, PartnerKind, PartnerStatus, MissionKind, MissionRelation, Role, Entity>();
}

} // namespace captrack::domain
