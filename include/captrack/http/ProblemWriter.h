#pragma once

#include "captrack/http/ApiRequest.h"

#include <Poco/Exception.h>

#include <string>

namespace captrack::http
{

/// Turns errors into RFC 9457 problem+json responses. The one place that maps the error hierarchy
/// of Errors.h to status codes; anything else becomes a 500 whose detail names only the request id.
/// Stateless: safe for concurrent use.
class ProblemWriter
{
public:
    /// Retry-After of a 503 whose cause names no time of its own (a database down or busy): short,
    /// since a restarted database or a released lock serves again within seconds.
    static constexpr int DATABASE_RETRY_AFTER_SECONDS = 2;

    /// The problem response for a captrack error.
    [[nodiscard]] static ApiResponse fromException(const Poco::Exception& error, const std::string& requestId);
    /// The one 404 answer: it names only the path, so a missing resource and one the caller may not
    /// see answer alike.
    [[nodiscard]] static ApiResponse notFound(const std::string& path);
    /// A 500 that shows nothing of the cause.
    [[nodiscard]] static ApiResponse internalError(const std::string& requestId);
    /// A problem response with the given status, title and detail.
    [[nodiscard]] static ApiResponse problem(int status, const std::string& title, const std::string& detail);
    /// True when the error is one of captrack's client errors (not a 500).
    [[nodiscard]] static bool isClientError(const Poco::Exception& error);
};

} // namespace captrack::http
