#pragma once

#include "captrack/domain/ResourceSpec.h"

namespace captrack::domain
{

/// The resource descriptions of the domain (docs/DOMAIN.md): fields, enumerations, ranges and each
/// resource's own cross-field rules. Built once, immutable, shared.
[[nodiscard]] const ResourceSpec& partnerSpec();
[[nodiscard]] const ResourceSpec& missionSpec();
[[nodiscard]] const ResourceSpec& capabilityAreaSpec();
[[nodiscard]] const ResourceSpec& objectiveSpec();
[[nodiscard]] const ResourceSpec& projectSpec();
[[nodiscard]] const ResourceSpec& milestoneSpec();
[[nodiscard]] const ResourceSpec& contributionSpec();
[[nodiscard]] const ResourceSpec& missionLinkSpec();
/// Users (the password hash is not a field: it is never read or written through the spec).
[[nodiscard]] const ResourceSpec& userSpec();
/// Webhook endpoints (migration 010): url, secret (write-only), events, project_id, active, description.
[[nodiscard]] const ResourceSpec& webhookSpec();

/// The framework codes (docs/DOMAIN.md).
[[nodiscard]] const std::vector<std::string>& frameworkCodes();

} // namespace captrack::domain
