#pragma once

#include "captrack/domain/Principal.h"

#include <Poco/Net/HTTPServerRequest.h>

namespace captrack::http
{

/// Decides who is acting in a request (from its credentials). Implementations are thread-safe.
class PrincipalResolver
{
public:
    virtual ~PrincipalResolver() = default;
    /// The acting principal; throws UnauthorizedError when the request's credentials are not valid.
    [[nodiscard]] virtual domain::Principal resolve(const Poco::Net::HTTPServerRequest& request) const = 0;
};

} // namespace captrack::http
