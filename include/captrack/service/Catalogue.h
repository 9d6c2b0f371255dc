#pragma once

#include "captrack/service/Resource.h"

namespace captrack::service
{

/// Every resource kind of the core API with its write hooks. Built once; immutable; shared.
struct Catalogue
{
    Resource partners;
    Resource missions;
    Resource capabilityAreas;
    Resource objectives;
    Resource projects;
    Resource milestones;
    Resource contributions;
    Resource missionLinks;
    Resource users;
    Resource webhooks;

    [[nodiscard]] static const Catalogue& instance();
};

} // namespace captrack::service
