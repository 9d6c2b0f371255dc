#include "captrack/service/Catalogue.h"

#include "ContributionHooks.h"
#include "MilestoneHooks.h"
#include "ProjectHooks.h"
#include "captrack/domain/Specs.h"

namespace captrack::service
{

const Catalogue& Catalogue::instance()
{
    static const Catalogue catalogue{
        {domain::partnerSpec(), nullptr},
        {domain::missionSpec(), nullptr},
        {domain::capabilityAreaSpec(), nullptr},
        {domain::objectiveSpec(), nullptr},
        {domain::projectSpec(), std::make_shared<ProjectHooks>()},
        {domain::milestoneSpec(), std::make_shared<MilestoneHooks>()},
        {domain::contributionSpec(), std::make_shared<ContributionHooks>()},
        {domain::missionLinkSpec(), nullptr},
        {domain::userSpec(), nullptr},
        {domain::webhookSpec(), nullptr},
    };
    return catalogue;
}

} // namespace captrack::service
