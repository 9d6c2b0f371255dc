#pragma once

#include "captrack/Metrics.h"
#include "captrack/http/Router.h"

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace captrack::http
{

/// The requests a server answered, by route template, method and status, with their latencies and the
/// number in flight: the `captrack_http_*` series of `/metrics`. Requests that match no route are
/// counted under the route `unmatched` (never under their path: a client must not be able to add
/// series), those refused before a head could be read (framing errors, a connection over the cap, a
/// request not whole at its deadline) under `unparsed`. Requests the transport refuses
/// are counted without a duration.
///
/// sizeFor() once, after the last route is added and before serving; then every call is safe for
/// concurrent use and takes no lock.
class RequestMetrics
{
public:
    /// A route index that means "no route matched".
    static constexpr std::size_t UNMATCHED = static_cast<std::size_t>(-1);

    /// Makes the instruments of every route of `router` (and of the unmatched and unparsed requests).
    void sizeFor(const Router& router);

    /// One answered request: its route (an index into Router::table(), or UNMATCHED), its method (used
    /// for unmatched requests only), status and duration.
    void count(std::size_t route, const std::string& method, int status, std::int64_t microseconds) noexcept;
    /// One request the transport refused after reading its head: counted, its duration not observed.
    void countRefused(std::size_t route, const std::string& method, int status) noexcept;
    /// One request answered before its head could be read (malformed framing).
    void countUnparsed(int status) noexcept;

    void started() noexcept { _inFlight.fetch_add(1, std::memory_order_relaxed); }
    void finished() noexcept { _inFlight.fetch_sub(1, std::memory_order_relaxed); }

    /// Appends the series in the text exposition format.
    void write(std::string& out) const;

private:
    /// Statuses 100 to 599, one counter each.
    static constexpr int FIRST_STATUS = 100;
    static constexpr int STATUSES = 500;

    struct Series
    {
        std::string labels; ///< route="...",method="..."
        std::array<metrics::Counter, STATUSES> byStatus;
        metrics::Histogram latency;
    };
    Series* seriesFor(std::size_t route, const std::string& method) noexcept;
    /// Counts the status into the series (none: a server not sized yet).
    static void countStatus(Series* series, int status) noexcept;

    std::vector<std::unique_ptr<Series>> _routes;
    /// Unmatched requests by method: the methods the server knows, then one for any other.
    std::vector<std::unique_ptr<Series>> _unmatched;
    std::unique_ptr<Series> _unparsed;
    std::atomic<std::int64_t> _inFlight{0};
};

} // namespace captrack::http
