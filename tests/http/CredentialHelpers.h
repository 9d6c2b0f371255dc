#pragma once

// Helpers of the fixtures that sign in and out as several users at once: sign-in bodies, requests
// sent with a given token (the server's current token is kept), API tokens, audit rows.

#include "ApiAssertions.h"

#include <string>

namespace captrack::test::credentials
{

using namespace captrack::test::api;

/// The body of a sign-in.
inline std::string loginBody(const std::string& username, const std::string& password)
{
    return R"({"username": ")" + username + R"(", "password": ")" + password + R"("})";
}

/// A request sent with `token` ("" for none); the server's own token is left as it was.
inline HttpResult as(HttpTestServer& server, const std::string& token, const std::string& method,
                     const std::string& path, const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {})
{
    const std::string saved = server.token();
    server.useToken(token);
    HttpResult result = server.request(method, path, body, headers);
    server.useToken(saved);
    return result;
}

/// A new session of the user (fails the test unless the sign-in answers 200).
inline std::string sessionOf(HttpTestServer& server, const std::string& username, const std::string& password)
{
    const auto result = as(server, "", "POST", API + "/auth/login", loginBody(username, password));
    expectStatus("sign-in of " + username, 200, result);
    return text(result, "token");
}

inline std::string sessionOf(HttpTestServer& server, const std::string& username)
{
    return sessionOf(server, username, HttpTestServer::passwordOf(username));
}

/// The status of GET /api/v1/me with the token: 200 while it works, 401 once it has ended.
inline int meWith(HttpTestServer& server, const std::string& token)
{
    return as(server, token, "GET", API + "/me").status;
}

/// A new API token made with the session; its id goes to `id` when given.
inline std::string apiTokenOf(HttpTestServer& server, const std::string& session, const std::string& name,
                              Poco::Int64* id = nullptr)
{
    const auto result = as(server, session, "POST", API + "/me/tokens", R"({"name": ")" + name + R"("})");
    expectStatus("POST /me/tokens " + name, 201, result);
    if (id)
        *id = number(result, "id");
    return text(result, "token");
}

/// The `changes` of the newest audit event about the user that ended its sessions ("" when none).
inline std::string lastSessionEnd(HttpTestServer& server, Poco::Int64 userId)
{
    return server.scalar("SELECT changes FROM audit_events WHERE entity = 'user' AND entity_id = " +
                         std::to_string(userId) + " AND changes LIKE '%\"sessions\"%' ORDER BY id DESC LIMIT 1");
}

/// The user id of that event ("" for the system).
inline std::string lastSessionEndBy(HttpTestServer& server, Poco::Int64 userId)
{
    return server.scalar("SELECT user_id FROM audit_events WHERE entity = 'user' AND entity_id = " +
                         std::to_string(userId) + " AND changes LIKE '%\"sessions\"%' ORDER BY id DESC LIMIT 1");
}

inline bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

} // namespace captrack::test::credentials
