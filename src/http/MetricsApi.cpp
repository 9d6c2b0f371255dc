#include "captrack/http/MetricsApi.h"

#include "captrack/Errors.h"
#include "captrack/Metrics.h"
#include "captrack/Version.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>

#include <cstring>

namespace captrack::http
{

namespace
{
/// The address as IPv4 when it is an IPv4-mapped IPv6 address (::ffff:a.b.c.d), else as it is.
Poco::Net::IPAddress unmapped(const Poco::Net::IPAddress& address)
{
    if (address.family() != Poco::Net::IPAddress::IPv6 || !address.isIPv4Mapped())
        return address;
    const auto* bytes = static_cast<const unsigned char*>(address.addr());
    return Poco::Net::IPAddress(bytes + 12, 4);
}

/// Whether the first `bits` bits of two addresses of one family are equal.
bool samePrefix(const Poco::Net::IPAddress& a, const Poco::Net::IPAddress& b, unsigned bits)
{
    if (a.family() != b.family())
        return false;
    const auto* x = static_cast<const unsigned char*>(a.addr());
    const auto* y = static_cast<const unsigned char*>(b.addr());
    const unsigned whole = bits / 8;
    if (std::memcmp(x, y, whole) != 0)
        return false;
    const unsigned rest = bits % 8;
    if (rest == 0)
        return true;
    const auto mask = static_cast<unsigned char>(0xFF << (8 - rest));
    return (x[whole] & mask) == (y[whole] & mask);
}

/// Compares two strings in a time that depends on their lengths only.
bool sameSecret(const std::string& given, const std::string& expected)
{
    unsigned char differ = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < given.size(); ++i)
        differ |= static_cast<unsigned char>(given[i] ^ expected[i % (expected.empty() ? 1 : expected.size())]);
    return differ == 0 && !expected.empty();
}

bool tokenOpens(const ApiRequest& request, const std::string& token)
{
    if (token.empty())
        return false;
    const auto authorization = request.header("Authorization");
    const std::string prefix = "Bearer ";
    if (!authorization || authorization->size() <= prefix.size() ||
        Poco::icompare(authorization->substr(0, prefix.size()), prefix) != 0)
        return false;
    return sameSecret(authorization->substr(prefix.size()), token);
}

void writeProcess(std::string& out)
{
    auto& process = metrics::process();
    metrics::writeHeader(out, "captrack_sign_in_failures_total", "counter",
                         "Sign-ins (and passwords confirmed for a change) refused for a wrong username or password.");
    metrics::writeSample(out, "captrack_sign_in_failures_total", "", process.signInFailures.value());
    metrics::writeHeader(out, "captrack_sign_in_throttled_total", "counter",
                         "Sign-ins refused (429) because an address or a username failed too often.");
    metrics::writeSample(out, "captrack_sign_in_throttled_total", "", process.signInThrottles.value());

    const std::string builds = "captrack_report_build_duration_seconds";
    metrics::writeHeader(out, builds, "histogram", "Time to build a report from the database, by report.");
    for (std::size_t i = 0; i < metrics::REPORT_KINDS; ++i)
        process.reportBuilds[i].write(
            out, builds, std::string("report=\"") + metrics::reportName(static_cast<metrics::Report>(i)) + "\"");

    metrics::writeHeader(out, "captrack_build_info", "gauge", "The running build: always 1, its version as a label.");
    metrics::writeSample(out, "captrack_build_info", "version=\"" + metrics::labelValue(VERSION) + "\"",
                         std::uint64_t(1));
    metrics::writeHeader(out, "captrack_start_time_seconds", "gauge", "When the server started, in Unix time.");
    metrics::writeSample(out, "captrack_start_time_seconds", "", process.startTimeSeconds);
}

void writePool(std::string& out, const storage::PoolFigures& pool)
{
    const auto gauge = [&](const char* name, const char* help, std::uint64_t value) {
        metrics::writeHeader(out, name, "gauge", help);
        metrics::writeSample(out, name, "", value);
    };
    const auto counter = [&](const char* name, const char* help, std::uint64_t value) {
        metrics::writeHeader(out, name, "counter", help);
        metrics::writeSample(out, name, "", value);
    };
    gauge("captrack_db_pool_max_sessions", "The most database sessions the pool opens (db.pool.max).", pool.max);
    gauge("captrack_db_pool_sessions_in_use", "Database sessions leased now.", pool.inUse);
    gauge("captrack_db_pool_sessions_idle", "Open database sessions waiting in the pool.", pool.idle);
    counter("captrack_db_pool_waits_total", "Leases that found no free session and waited.", pool.waits);
    metrics::writeHeader(out, "captrack_db_pool_wait_seconds_total", "counter",
                         "Time that leases spent waiting for a free session.");
    metrics::writeSample(out, "captrack_db_pool_wait_seconds_total", "",
                         static_cast<double>(pool.waitMicroseconds) / 1e6);
    counter("captrack_db_pool_timeouts_total", "Leases that gave up after 10 s (answered 503).", pool.timeouts);
}
} // namespace

std::vector<MetricsAccess::Network> MetricsAccess::parseNetworks(const std::string& text)
{
    std::vector<Network> networks;
    const Poco::StringTokenizer items(text, ",",
                                      Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& item : items)
    {
        const auto slash = item.find('/');
        Poco::Net::IPAddress address;
        const std::string text = item.substr(0, slash);
        // inet_aton's shorthands (1.2.3 for 1.2.0.3) are refused: an IPv4 address is written in full.
        if (!Poco::Net::IPAddress::tryParse(text, address) ||
            (address.family() == Poco::Net::IPAddress::IPv4 && address.toString() != text))
            throw Poco::InvalidArgumentException("metrics.allow: `" + item + "` is not an address or network");
        if (address.family() == Poco::Net::IPAddress::IPv6 && address.isIPv4Mapped())
            throw Poco::InvalidArgumentException("metrics.allow: write `" + item +
                                                 "` as an IPv4 network (a mapped client counts as its IPv4 address)");
        const unsigned length = address.family() == Poco::Net::IPAddress::IPv4 ? 32 : 128;
        unsigned bits = length;
        if (slash != std::string::npos &&
            (!Poco::NumberParser::tryParseUnsigned(item.substr(slash + 1), bits) || bits > length))
            throw Poco::InvalidArgumentException("metrics.allow: `" + item + "` has no prefix length from 0 to " +
                                                 std::to_string(length));
        networks.push_back({address, bits});
    }
    return networks;
}

bool MetricsAccess::allowsAddress(const Poco::Net::IPAddress& address) const
{
    const auto client = unmapped(address);
    for (const auto& network : networks) // never mapped themselves: parseNetworks refuses them
        if (samePrefix(client, network.address, network.prefixBits))
            return true;
    return false;
}

std::string metricsText(const RequestMetrics& requests, const storage::PoolFigures& pool)
{
    std::string out;
    out.reserve(16 << 10);
    requests.write(out);
    writePool(out, pool);
    writeProcess(out);
    return out;
}

namespace
{
RouteDoc metricsDoc()
{
    RouteDoc doc;
    doc.tag = "service";
    doc.summary = "Prometheus metrics (text exposition format 0.0.4)";
    doc.description = "Served to the addresses of metrics.allow, or with the metrics token; never with a user's "
                      "credentials (403 otherwise). docs/OPERATING-metrics.md lists the series.";
    doc.responses = {{200, "The metrics", {{"text/plain", ""}}, {"Cache-Control"}}};
    doc.security = R"([{"metricsToken":[]},{}])";
    return doc;
}
} // namespace

void addMetricsApi(Router& router, const RequestMetrics& requests, const storage::Database& database,
                   MetricsAccess access)
{
    (void)metrics::process(); // the start time: when the server is built, not at the first scrape
    router.add(
        "GET", "/metrics",
        [&requests, &database, access](ApiRequest& request) {
            Poco::Net::IPAddress client;
            const bool fromAllowed =
                Poco::Net::IPAddress::tryParse(request.clientAddress(), client) && access.allowsAddress(client);
            if (!fromAllowed && !tokenOpens(request, access.token))
                throw ForbiddenError("the metrics are served to the addresses of metrics.allow, or with the metrics "
                                     "token (metrics.token) as a bearer token");
            ApiResponse response;
            response.contentType = "text/plain; version=0.0.4; charset=utf-8";
            response.body = metricsText(requests, database.poolFigures());
            response.headers.emplace_back("Cache-Control", "no-store");
            return response;
        },
        RouteOptions{Access::Public, SMALL_BODY_BYTES}, metricsDoc());
}

} // namespace captrack::http
