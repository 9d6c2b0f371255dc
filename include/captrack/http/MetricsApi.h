#pragma once

#include "captrack/http/RequestMetrics.h"
#include "captrack/http/Router.h"
#include "captrack/storage/Database.h"

#include <Poco/Net/IPAddress.h>

#include <string>
#include <vector>

namespace captrack::http
{

/// Who may read `/metrics` (settings metrics.allow and metrics.token): a client whose address is in
/// one of the networks, or one that sends `Authorization: Bearer <token>` when a token is set. Nobody
/// else: the route is public to the router but refuses everyone these do not name (403).
struct MetricsAccess
{
    struct Network
    {
        Poco::Net::IPAddress address;
        unsigned prefixBits = 0;
    };
    std::vector<Network> networks;
    std::string token; ///< empty: no token opens the metrics

    /// Parses "127.0.0.1/8, ::1/128, 10.1.2.3" (a bare address is a whole-length prefix); "" allows no
    /// address. Poco::InvalidArgumentException for anything else.
    [[nodiscard]] static std::vector<Network> parseNetworks(const std::string& text);
    [[nodiscard]] bool allowsAddress(const Poco::Net::IPAddress& address) const;
};

/// Adds `GET /metrics`: the server's metrics in Prometheus' text exposition format (version 0.0.4):
/// requests by route template, method and status, their latencies and those in flight (`requests`),
/// the database pool (`database`), report build durations, sign-in failures and throttles, build and
/// start-time info (metrics::process()). `requests` and `database` must outlive the router.
void addMetricsApi(Router& router, const RequestMetrics& requests, const storage::Database& database,
                   MetricsAccess access);

/// The whole exposition, as the route answers it.
[[nodiscard]] std::string metricsText(const RequestMetrics& requests, const storage::PoolFigures& pool);

} // namespace captrack::http
