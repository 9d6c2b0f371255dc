#include "captrack/http/RequestMetrics.h"

namespace captrack::http
{

namespace
{
/// The methods an unmatched request is counted under; any other is "other".
const std::array<const char*, 8> KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};

std::string labelsOf(const std::string& route, const std::string& method)
{
    return "route=\"" + metrics::labelValue(route) + "\",method=\"" + metrics::labelValue(method) + "\"";
}
} // namespace

void RequestMetrics::sizeFor(const Router& router)
{
    _routes.clear();
    for (const auto& route : router.table())
    {
        _routes.push_back(std::make_unique<Series>());
        _routes.back()->labels = labelsOf(route.pattern, route.method);
    }
    _unmatched.clear();
    for (const char* method : KNOWN_METHODS)
    {
        _unmatched.push_back(std::make_unique<Series>());
        _unmatched.back()->labels = labelsOf("unmatched", method);
    }
    _unparsed = std::make_unique<Series>();
    _unparsed->labels = labelsOf("unparsed", "other");
}

RequestMetrics::Series* RequestMetrics::seriesFor(std::size_t route, const std::string& method) noexcept
{
    if (route < _routes.size())
        return _routes[route].get();
    if (_unmatched.empty())
        return nullptr; // not sized: a server under construction
    std::size_t index = 0;
    while (index + 1 < KNOWN_METHODS.size() && method != KNOWN_METHODS[index])
        ++index;
    return _unmatched[index].get();
}

void RequestMetrics::countStatus(Series* series, int status) noexcept
{
    if (series && status >= FIRST_STATUS && status < FIRST_STATUS + STATUSES)
        series->byStatus[static_cast<std::size_t>(status - FIRST_STATUS)].add();
}

void RequestMetrics::count(std::size_t route, const std::string& method, int status, std::int64_t microseconds) noexcept
{
    Series* series = seriesFor(route, method);
    countStatus(series, status);
    if (series)
        series->latency.observe(microseconds);
}

void RequestMetrics::countRefused(std::size_t route, const std::string& method, int status) noexcept
{
    countStatus(seriesFor(route, method), status);
}

void RequestMetrics::countUnparsed(int status) noexcept
{
    countStatus(_unparsed.get(), status);
}

void RequestMetrics::write(std::string& out) const
{
    std::vector<const Series*> all;
    for (const auto& series : _routes)
        all.push_back(series.get());
    for (const auto& series : _unmatched)
        all.push_back(series.get());
    if (_unparsed)
        all.push_back(_unparsed.get());

    const std::string requests = "captrack_http_requests_total";
    metrics::writeHeader(out, requests, "counter", "HTTP requests answered, by route template, method and status.");
    for (const Series* series : all)
        for (int i = 0; i < STATUSES; ++i)
            if (const auto n = series->byStatus[static_cast<std::size_t>(i)].value())
                metrics::writeSample(out, requests,
                                     series->labels + ",status=\"" + std::to_string(FIRST_STATUS + i) + "\"", n);

    const std::string latency = "captrack_http_request_duration_seconds";
    metrics::writeHeader(out, latency, "histogram",
                         "Time from a request's complete head and body to its answer, by route template and method.");
    for (const Series* series : all)
        if (series->latency.count() > 0)
            series->latency.write(out, latency, series->labels);

    const std::string inFlight = "captrack_http_requests_in_flight";
    metrics::writeHeader(out, inFlight, "gauge", "Requests being answered now.");
    metrics::writeSample(
        out, inFlight, "",
        static_cast<std::uint64_t>(std::max<std::int64_t>(0, _inFlight.load(std::memory_order_relaxed))));
}

} // namespace captrack::http
