#pragma once

#include "captrack/http/HttpTransport.h"
#include "captrack/http/PrincipalResolver.h"
#include "captrack/http/RequestMetrics.h"
#include "captrack/http/Router.h"

#include <Poco/Logger.h>

#include <atomic>

namespace captrack::http
{

/// The application side of the HTTP transport and its one error boundary. For each request it
/// brings the target into normal form (400 otherwise), lets the router pick the route, signs the
/// request in when the route is not public (deny by default), refuses a body that is not declared
/// JSON (415), dispatches, maps every error to problem+json, writes one access-log line and counts
/// the request into `metrics` (when given) by its route, method and status.
/// Stateless apart from a request counter and the metrics: safe for concurrent use.
class ApiDispatcher : public RequestResponder
{
public:
    ApiDispatcher(const Router& router, const PrincipalResolver& resolver, RequestMetrics* pMetrics = nullptr);

    [[nodiscard]] HeadVerdict inspect(const RequestHead& head) const override;
    [[nodiscard]] ApiResponse respond(const RequestHead& head, std::string body,
                                      const Poco::Net::SocketAddress& client) const override;
    void refused(const RequestHead* pHead, int status) const override;

private:
    /// The answer; `route` receives the index of the route that matched (else it is left as it was).
    [[nodiscard]] ApiResponse answer(const RequestHead& head, std::string body, const Poco::Net::SocketAddress& client,
                                     const std::string& requestId, std::size_t& route) const;

    const Router& _router;
    const PrincipalResolver& _resolver;
    RequestMetrics* _pMetrics;
    Poco::Logger& _accessLog; ///< looked up once: Logger::get takes a process-wide lock
    Poco::Logger& _log;
    mutable std::atomic<unsigned long> _requestCounter{0};
};

/// True when a Content-Type names JSON (`application/json`, parameters such as charset allowed).
[[nodiscard]] bool isJsonMediaType(const std::string& contentType);
/// True when a Content-Type names CSV in UTF-8 (`text/csv`, with no parameter but `charset=utf-8`).
[[nodiscard]] bool isCsvMediaType(const std::string& contentType);

} // namespace captrack::http
