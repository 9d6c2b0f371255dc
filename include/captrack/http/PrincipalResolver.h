#pragma once

#include "captrack/domain/Principal.h"

namespace captrack::http
{

class ApiRequest;

/// Decides who is acting in a request (from its credentials). Implementations are thread-safe.
class PrincipalResolver
{
public:
    virtual ~PrincipalResolver() = default;
    /// The acting principal; throws UnauthorizedError when the request's credentials are missing or
    /// not valid. Never returns a principal that nobody proved.
    [[nodiscard]] virtual domain::Principal resolve(const ApiRequest& request) const = 0;
};

} // namespace captrack::http
