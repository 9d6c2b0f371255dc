#pragma once

#include "TestDatabase.h"
#include "captrack/app/ApiServer.h"
#include "captrack/domain/Clock.h"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPClientSession.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace captrack::test
{

/// A response as the tests see it.
struct HttpResult
{
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers; ///< header names lower-cased
    std::string contentType;

    /// The body parsed as a JSON object (fails the test when it is not one).
    [[nodiscard]] Poco::JSON::Object::Ptr json() const;
    [[nodiscard]] std::string header(const std::string& name) const;
};

/// The real router and HTTP server on 127.0.0.1, port 0, over a fresh TestDatabase, with a fixed
/// clock (2027-03-01T10:00:00Z). Requests go through a keep-alive Poco HTTPClientSession and carry
/// the bearer token of the user last signed in: an `admin` user, signed in at start.
class HttpTestServer
{
public:
    /// `tweak` may change the server's options (deadlines, caps) before it starts.
    explicit HttpTestServer(const std::function<void(app::ServerOptions&)>& tweak = {});
    ~HttpTestServer();

    /// Sends a request; `body` is sent as application/json when not empty.
    HttpResult request(const std::string& method, const std::string& path, const std::string& body = "",
                       const std::map<std::string, std::string>& headers = {});
    HttpResult get(const std::string& path) { return request("GET", path); }
    HttpResult post(const std::string& path, const std::string& body) { return request("POST", path, body); }
    /// PATCH with If-Match set to the given version.
    HttpResult patch(const std::string& path, const std::string& body, Poco::Int64 version)
    {
        return request("PATCH", path, body, {{"If-Match", "\"" + std::to_string(version) + "\""}});
    }

    /// Creates a user (password: passwordOf(username)) straight through UserAccounts; returns its id.
    Poco::Int64 addUser(const std::string& username, const std::string& role,
                        std::optional<Poco::Int64> partnerId = std::nullopt);
    /// Signs in through POST /api/v1/auth/login; later requests carry the token. Fails the test unless 200.
    void signIn(const std::string& username);
    /// Later requests carry this bearer token ("" for none).
    void useToken(const std::string& token) { _token = token; }
    [[nodiscard]] const std::string& token() const { return _token; }
    [[nodiscard]] static std::string passwordOf(const std::string& username) { return "pw-" + username + "-0123456"; }
    /// The id of a partner by code.
    [[nodiscard]] Poco::Int64 partnerId(const std::string& code);

    /// Creates the reference rows most tests need: capability area CYB, objectives SO1 and SO6,
    /// missions KFOR and NMI, partners UKR (EAPC), ITA (NATO), JOR (MD).
    void seedReference();
    /// POSTs and returns the created resource's id (fails the test unless 201).
    Poco::Int64 create(const std::string& path, const std::string& body);

    [[nodiscard]] TestDatabase& db() { return *_pDb; }
    /// The server's clock (starts at 2027-03-01T10:00:00Z); tests may move it on.
    [[nodiscard]] domain::FixedClock& clock() { return _clock; }
    [[nodiscard]] app::ApiServer& server() { return *_pServer; }
    [[nodiscard]] Poco::UInt16 port() const { return _pServer->port(); }
    /// `SELECT COUNT(*) FROM <from>`, read behind the server's back (IndependentReader: Connector/C++ on
    /// MariaDB, the sqlite3 C API on SQLite).
    [[nodiscard]] Poco::Int64 count(const std::string& from);
    /// The first column of the first row of a query, read the same independent way.
    [[nodiscard]] std::string scalar(const std::string& sql);

private:
    std::unique_ptr<TestDatabase> _pDb;
    domain::FixedClock _clock;
    std::unique_ptr<app::ApiServer> _pServer;
    std::unique_ptr<Poco::Net::HTTPClientSession> _pSession;
    std::string _token;
};

} // namespace captrack::test
