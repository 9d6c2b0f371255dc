#pragma once

#include "captrack/http/HttpTransport.h"
#include "captrack/http/PrincipalResolver.h"
#include "captrack/http/Router.h"

#include <Poco/Logger.h>

#include <atomic>

namespace captrack::http
{

/// The application side of the HTTP transport and its one error boundary. For each request it
/// brings the target into normal form (400 otherwise), lets the router pick the route, signs the
/// request in when the route is not public (deny by default), refuses a body that is not declared
/// JSON (415), dispatches, maps every error to problem+json and writes one access-log line.
/// Stateless apart from a request counter: safe for concurrent use.
class ApiDispatcher : public RequestResponder
{
public:
    ApiDispatcher(const Router& router, const PrincipalResolver& resolver);

    [[nodiscard]] HeadVerdict inspect(const RequestHead& head) const override;
    [[nodiscard]] ApiResponse respond(const RequestHead& head, std::string body,
                                      const Poco::Net::SocketAddress& client) const override;

private:
    [[nodiscard]] ApiResponse answer(const RequestHead& head, std::string body, const Poco::Net::SocketAddress& client,
                                     const std::string& requestId) const;

    const Router& _router;
    const PrincipalResolver& _resolver;
    Poco::Logger& _accessLog; ///< looked up once: Logger::get takes a process-wide lock
    Poco::Logger& _log;
    mutable std::atomic<unsigned long> _requestCounter{0};
};

/// True when a Content-Type names JSON (`application/json`, parameters such as charset allowed).
[[nodiscard]] bool isJsonMediaType(const std::string& contentType);

} // namespace captrack::http
