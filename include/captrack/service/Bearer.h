#pragma once

#include <Poco/Types.h>

namespace captrack::service
{

/// What a bearer token (a session token or an API token) names: its user and the token version it was
/// issued under. The token is good only while the user is still at that token version.
struct Bearer
{
    Poco::Int64 userId;
    Poco::Int64 tokenVersion;
};

} // namespace captrack::service
