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

/// Until sign-in exists (README roadmap, issue "Who may do what"), every request acts as the built-in
/// system administrator. Only for the development server on 127.0.0.1 and for tests.
class SingleOperatorResolver : public PrincipalResolver
{
public:
    [[nodiscard]] domain::Principal resolve(const Poco::Net::HTTPServerRequest&) const override
    {
        return domain::Principal::system();
    }
};

} // namespace captrack::http
