#include "captrack/http/BearerResolver.h"

#include "captrack/Errors.h"
#include "captrack/http/ApiRequest.h"

#include <Poco/String.h>

namespace captrack::http
{

domain::Principal BearerResolver::resolve(const ApiRequest& request) const
{
    const auto header = request.header("Authorization");
    if (!header)
        throw UnauthorizedError("sign in first: send Authorization: Bearer <token> (POST /api/v1/auth/login)");
    const std::string& value = *header;
    if (value.size() < 8 || Poco::icompare(value.substr(0, 7), "Bearer ") != 0)
        throw UnauthorizedError("the Authorization header must be `Bearer <token>`");
    return _authenticator.authenticate(Poco::trim(value.substr(7)));
}

} // namespace captrack::http
