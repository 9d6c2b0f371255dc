#pragma once

#include "MatrixCases.h"

namespace captrack::test::matrix
{

inline const char* roleOf(Who who)
{
    switch (who)
    {
    case Admin:
        return "admin";
    case Reviewer:
        return "reviewer";
    case Lead1:
    case Lead2:
        return "lead";
    default:
        return "partner";
    }
}

inline const std::string THROWAWAY_PASSWORD = "pw-throwaway-0123456";

/// A fresh user with the role (and partner) of the cell's principal, signed in: its session token. For
/// the requests that end the caller's sessions, which must not end the world's tokens.
inline std::string throwawaySession(Cell& cell)
{
    auto& server = cell.server;
    const std::string username = "s-" + Poco::toLower(cell.tag);
    std::string partner;
    if (cell.who == PartnerU || cell.who == PartnerJ)
        partner = R"(, "partner_id": )" + str(cell.who == PartnerU ? cell.world.ukr : cell.world.jor);
    server.create(API + "/users", R"({"username": ")" + username + R"(", "display_name": "Throwaway", "role": ")" +
                                      roleOf(cell.who) + "\"" + partner + R"(, "password": ")" + THROWAWAY_PASSWORD +
                                      R"("})");
    const auto login = server.post(API + "/auth/login", R"({"username": ")" + username + R"(", "password": ")" +
                                                            THROWAWAY_PASSWORD + R"("})");
    expectStatus("sign-in of " + username, 200, login);
    return text(login, "token");
}

/// The request, sent with a throwaway session of the principal's role (anonymous: without a token).
inline Request asThrowaway(Cell& cell, Request request)
{
    if (cell.who != Anonymous)
        request.token = throwawaySession(cell);
    return request;
}

/// A calendar feed made with this session token; returns its URL's path (`/calendar/<secret>.ics`).
inline std::string newFeed(Cell& cell, const std::string& token)
{
    auto& server = cell.server;
    server.useToken(token);
    const auto result = server.post(API + "/me/calendar", "");
    server.useToken(cell.world.tokens[Admin]);
    expectStatus("POST /me/calendar", 201, result);
    const std::string url = text(result, "url");
    return url.substr(url.find("/calendar/"));
}

/// Rows for one's own calendar feed (throwaway users, so that no cell sees another's feed) and the public
/// feed address: a live feed answers anyone who has its address, anything else 404.
inline void addCalendarRows(std::vector<Row>& rows)
{
    rows.push_back({"GET /api/v1/me/calendar", "none made (a throwaway user of the role)",
                    [](Cell& c) { return asThrowaway(c, Request{API + "/me/calendar"}); }, signedIn(404)});
    rows.push_back({"POST /api/v1/me/calendar", "own (a throwaway user of the role)",
                    [](Cell& c) { return asThrowaway(c, Request{API + "/me/calendar"}); }, signedIn(201)});
    rows.push_back({"DELETE /api/v1/me/calendar", "own live feed (a throwaway user of the role)",
                    [](Cell& c) {
                        Request request = asThrowaway(c, Request{API + "/me/calendar"});
                        if (request.token)
                            (void)newFeed(c, *request.token);
                        return request;
                    },
                    signedIn(204)});
    rows.push_back({"GET /calendar/{feed}", "a live feed (of a throwaway user of the role; anonymous: admin's)",
                    [](Cell& c) {
                        const auto owner = asThrowaway(c, Request{""});
                        return Request{newFeed(c, owner.token.value_or(c.world.tokens[Admin]))};
                    },
                    everyone(200)});
    rows.push_back({"GET /calendar/{feed}", "no such feed",
                    [](Cell&) { return Request{"/calendar/" + std::string(64, 'a') + ".ics"}; }, everyone(404)});
}

/// Rows for a user's own password and sign-out, and an admin's view of other users' credentials.
inline void addCredentialRows(std::vector<Row>& rows)
{
    rows.push_back({"PATCH /api/v1/me", "own password (a throwaway user of the role)",
                    [](Cell& c) {
                        return asThrowaway(c, Request{API + "/me",
                                                      R"({"current_password": ")" + THROWAWAY_PASSWORD +
                                                          R"(", "password": "pw-changed-0123456"})",
                                                      ifMatch(1)});
                    },
                    signedIn(200)});
    rows.push_back({"PATCH /api/v1/me", "a field other than the password",
                    [](Cell&) {
                        return Request{API + "/me", R"({"display_name": "Renamed"})", ifMatch(1)};
                    },
                    signedIn(422)});
    rows.push_back(
        {"GET /api/v1/me/reminders", "own", [](Cell&) { return Request{API + "/me/reminders"}; }, signedIn(200)});
    rows.push_back({"PATCH /api/v1/me/reminders", "own address and opt-out (a throwaway user of the role)",
                    [](Cell& c) {
                        return asThrowaway(c, Request{API + "/me/reminders",
                                                      R"({"email": "me@example.org", "email_reminders": false})",
                                                      ifMatch(1)});
                    },
                    signedIn(200)});
    rows.push_back({"PATCH /api/v1/me/reminders", "a field other than the address and the opt-out",
                    [](Cell&) {
                        return Request{API + "/me/reminders", R"({"role": "admin"})", ifMatch(1)};
                    },
                    signedIn(422)});
    rows.push_back({"GET /api/v1/mail/outbox", "every message", [](Cell&) { return Request{API + "/mail/outbox"}; },
                    adminOnly(200)});
    rows.push_back({"GET /api/v1/mail/outbox", "a state that is none",
                    [](Cell&) { return Request{API + "/mail/outbox?state=later"}; }, signedIn(400)});
    rows.push_back({"POST /api/v1/me/sign-out", "self (a throwaway user of the role)",
                    [](Cell& c) { return asThrowaway(c, Request{API + "/me/sign-out"}); }, signedIn(204)});
    rows.push_back(
        {"GET /api/v1/users/{id}/tokens", "own (anonymous: admin's)",
         [](Cell& c) { return Request{API + "/users/" + str(c.world.userIds[c.who ? c.who : Admin]) + "/tokens"}; },
         signedIn(200)});
    rows.push_back({"GET /api/v1/users/{id}/tokens", "another user's",
                    [](Cell& c) { return Request{API + "/users/" + str(c.world.bystander) + "/tokens"}; },
                    adminOnly(200)});
    rows.push_back({"GET /api/v1/users/{id}/tokens", "missing user",
                    [](Cell&) { return Request{API + "/users/" + MISSING_ID + "/tokens"}; }, adminOnly(404)});
    rows.push_back({"DELETE /api/v1/users/{id}/tokens/{token_id}", "a reviewer's token",
                    [](Cell& c) {
                        return Request{API + "/users/" + str(c.world.userIds[Reviewer]) + "/tokens/" +
                                       str(newToken(c, Reviewer))};
                    },
                    adminOnly(204)});
    rows.push_back({"DELETE /api/v1/users/{id}/tokens/{token_id}", "a token of another user than named",
                    [](Cell& c) {
                        return Request{API + "/users/" + str(c.world.userIds[Lead1]) + "/tokens/" +
                                       str(newToken(c, Reviewer))};
                    },
                    adminOnly(404)});
    rows.push_back({"POST /api/v1/users/{id}/sign-out", "a throwaway user",
                    [](Cell& c) { return Request{API + "/users/" + str(newUser(c)) + "/sign-out"}; }, adminOnly(204)});
    addCalendarRows(rows);
}

} // namespace captrack::test::matrix
