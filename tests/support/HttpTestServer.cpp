#include "HttpTestServer.h"

#include "IndependentReader.h"
#include "ResponseLog.h"

#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <cppunit/extensions/HelperMacros.h>

namespace captrack::test
{

namespace
{
Poco::Timestamp fixedNow()
{
    int tz = 0;
    return Poco::DateTimeParser::parse("%Y-%m-%dT%H:%M:%SZ", "2027-03-01T10:00:00Z", tz).timestamp();
}
} // namespace

Poco::JSON::Object::Ptr HttpResult::json() const
{
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(body);
    CPPUNIT_ASSERT_MESSAGE("body is not a JSON object: " + body, parsed.type() == typeid(Poco::JSON::Object::Ptr));
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

std::string HttpResult::header(const std::string& name) const
{
    const auto it = headers.find(Poco::toLower(name));
    return it == headers.end() ? std::string() : it->second;
}

HttpTestServer::HttpTestServer(const std::function<void(app::ServerOptions&)>& tweak) : _clock(fixedNow())
{
    _pDb = std::make_unique<TestDatabase>(true);
    app::ServerOptions options;
    options.http.port = 0;
    options.http.workers = 16;
    options.auth.secret = "test-secret-0123456789abcdef0123456789abcdef";
    options.auth.pbkdf2Iterations = 1000; // sign-in speed; production uses auth.pbkdf2_iterations
    options.auth.failureDelayMs = 0;
    if (tweak)
        tweak(options);
    _pServer = std::make_unique<app::ApiServer>(_pDb->database(), _clock, options);
    _pServer->start();
    _pSession = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", _pServer->port());
    _pSession->setKeepAlive(true);
    _pSession->setTimeout(Poco::Timespan(30, 0));
    addUser("admin", "admin");
    signIn("admin");
}

Poco::Int64 HttpTestServer::addUser(const std::string& username, const std::string& role,
                                    std::optional<Poco::Int64> partnerId)
{
    domain::Record input{{"username", username},
                         {"display_name", "User " + username},
                         {"role", role},
                         {"password", passwordOf(username)}};
    if (partnerId)
        input["partner_id"] = *partnerId;
    return domain::recordId(_pServer->auth().users().createUser(domain::Principal::system(), input));
}

void HttpTestServer::signIn(const std::string& username)
{
    _token.clear();
    const auto result = post("/api/v1/auth/login",
                             R"({"username": ")" + username + R"(", "password": ")" + passwordOf(username) + R"("})");
    CPPUNIT_ASSERT_EQUAL_MESSAGE("sign-in of " + username + ": " + result.body, 200, result.status);
    _token = result.json()->getValue<std::string>("token");
}

Poco::Int64 HttpTestServer::partnerId(const std::string& code)
{
    return std::stoll(scalar("SELECT id FROM partners WHERE code = '" + code + "'"));
}

HttpTestServer::~HttpTestServer()
{
    _pSession.reset();
    _pServer.reset();
    _pDb.reset();
}

HttpResult HttpTestServer::request(const std::string& method, const std::string& path, const std::string& body,
                                   const std::map<std::string, std::string>& headers)
{
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    if (!_token.empty())
        request.set("Authorization", "Bearer " + _token);
    for (const auto& [name, value] : headers)
        request.set(name, value);
    if (!body.empty())
    {
        if (!request.has("Content-Type"))
            request.setContentType("application/json");
        request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    else if (method == "POST" || method == "PATCH")
    {
        request.setContentLength64(0);
    }
    auto& out = _pSession->sendRequest(request);
    out << body;
    Poco::Net::HTTPResponse response;
    auto& in = _pSession->receiveResponse(response);
    HttpResult result;
    result.status = static_cast<int>(response.getStatus());
    Poco::StreamCopier::copyToString(in, result.body);
    for (const auto& [name, value] : response)
        result.headers[Poco::toLower(name)] = value;
    result.contentType = response.getContentType();
    if (!response.getKeepAlive())
        _pSession->reset();
    const bool jsonBody = request.getContentType() == "application/json";
    logResponse(_pServer->router(), method, path, jsonBody ? body : std::string(), result);
    return result;
}

Poco::Int64 HttpTestServer::create(const std::string& path, const std::string& body)
{
    const auto result = post(path, body);
    CPPUNIT_ASSERT_EQUAL_MESSAGE("POST " + path + " -> " + result.body, 201, result.status);
    return result.json()->getValue<Poco::Int64>("id");
}

void HttpTestServer::seedReference()
{
    create("/api/v1/capability-areas", R"({"code": "CYB", "name": "Cyber defence"})");
    create("/api/v1/objectives", R"({"code": "SO1", "name": "Enhance security"})");
    create("/api/v1/objectives", R"({"code": "SO6", "name": "Support operations"})");
    create("/api/v1/missions", R"({"code": "KFOR", "name": "Kosovo Force", "kind": "operation",
                                  "region": "Western Balkans", "start_date": "1999-06-01"})");
    create("/api/v1/missions", R"({"code": "NMI", "name": "NATO Mission Iraq", "kind": "mission"})");
    create("/api/v1/partners", R"({"code": "UKR", "name": "Ukraine", "kind": "nation", "framework": "EAPC"})");
    create("/api/v1/partners", R"({"code": "ITA", "name": "Italy", "kind": "nation", "framework": "NATO"})");
    create("/api/v1/partners", R"({"code": "JOR", "name": "Jordan", "kind": "nation", "framework": "MD"})");
}

Poco::Int64 HttpTestServer::count(const std::string& from)
{
    return IndependentReader(_pDb->url()).count(from);
}

std::string HttpTestServer::scalar(const std::string& sql)
{
    return IndependentReader(_pDb->url()).scalar(sql);
}

} // namespace captrack::test
