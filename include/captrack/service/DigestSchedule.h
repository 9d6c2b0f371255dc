#pragma once

#include "captrack/service/MailOptions.h"

#include <Poco/Timestamp.h>

#include <string>

namespace captrack::service
{

/// One digest period: from its start to the next period's start.
struct DigestPeriod
{
    Poco::Int64 start = 0;         ///< epoch seconds
    Poco::Int64 previousStart = 0; ///< the period before: "slipped since the last digest" looks back to it
    std::string key;               ///< the start as RFC 3339 UTC: the outbox's period key
};

/// The digest period that holds `now`: with periodSeconds > 0 the multiple of it at or before now;
/// otherwise the week that began on the latest `weekday` at `hourUtc`:00 UTC at or before now. Pure.
[[nodiscard]] DigestPeriod digestPeriodAt(const DigestOptions& options, const Poco::Timestamp& now);

} // namespace captrack::service
