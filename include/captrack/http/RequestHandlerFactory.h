#pragma once

#include "captrack/http/PrincipalResolver.h"
#include "captrack/http/Router.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <atomic>

namespace captrack::http
{

/// Poco's factory: makes one ApiRequestHandler per request over the shared router. The handler is
/// the one error boundary: it reads the body (at most 1 MiB), resolves the principal, dispatches,
/// maps every error to problem+json, sizes every response, and writes one access-log line.
class RequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    RequestHandlerFactory(const Router& router, const PrincipalResolver& resolver);

    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

    /// Paths that need no principal (health probes, sign-in, the OpenAPI document, static files).
    [[nodiscard]] static bool isPublicPath(const std::string& path);

private:
    const Router& _router;
    const PrincipalResolver& _resolver;
    std::atomic<unsigned long> _requestCounter{0};
};

} // namespace captrack::http
