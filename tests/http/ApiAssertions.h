#pragma once

// Assertions shared by the HTTP fixtures of this folder: status with the body in the message,
// problem+json shape, the field list of a 422, and "this rejected write changed nothing".

#include "HttpTestServer.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cppunit/extensions/HelperMacros.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace captrack::test::api
{

inline const std::string API = "/api/v1";

/// The If-Match header naming `version`.
inline std::map<std::string, std::string> ifMatch(Poco::Int64 version)
{
    return {{"If-Match", "\"" + std::to_string(version) + "\""}};
}

/// Fails unless `result` has `status`; the message names the request and shows the body.
inline void expectStatus(const std::string& what, int status, const HttpResult& result)
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + " -> " + result.body, status, result.status);
}

/// Fails unless `result` is an RFC 9457 problem with `status` in both the status line and the body.
inline void expectProblem(const std::string& what, int status, const HttpResult& result)
{
    expectStatus(what, status, result);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what, std::string("application/problem+json"), result.contentType);
    const auto body = result.json();
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what, status, body->getValue<int>("status"));
    for (const char* key : {"type", "title", "detail"})
        CPPUNIT_ASSERT_MESSAGE(what + ": problem without " + key,
                               body->has(key) && !body->getValue<std::string>(key).empty());
}

/// The fields named by a 422's `errors`, sorted, unique and comma-separated ("code,name").
inline std::string errorFields(const HttpResult& result)
{
    const auto body = result.json();
    CPPUNIT_ASSERT_MESSAGE("422 without errors: " + result.body, body->has("errors"));
    std::set<std::string> fields;
    const auto errors = body->getArray("errors");
    for (std::size_t i = 0; i < errors->size(); ++i)
    {
        const auto error = errors->getObject(static_cast<unsigned>(i));
        CPPUNIT_ASSERT_MESSAGE("error without message: " + result.body,
                               !error->getValue<std::string>("message").empty());
        fields.insert(error->getValue<std::string>("field"));
    }
    std::string joined;
    for (const auto& field : fields)
        joined += (joined.empty() ? "" : ",") + field;
    return joined;
}

/// Fails unless `result` is a 422 problem naming exactly `fields` (sorted, comma-separated).
inline void expectInvalid(const std::string& what, const std::string& fields, const HttpResult& result)
{
    expectProblem(what, 422, result);
    CPPUNIT_ASSERT_EQUAL_MESSAGE(what + " -> " + result.body, fields, errorFields(result));
}

/// A string member of a JSON object response.
inline std::string text(const HttpResult& result, const std::string& key)
{
    const auto body = result.json();
    CPPUNIT_ASSERT_MESSAGE("no " + key + " in " + result.body, body->has(key));
    return body->get(key).isEmpty() ? std::string("null") : body->get(key).convert<std::string>();
}

/// An integer member of a JSON object response.
inline Poco::Int64 number(const HttpResult& result, const std::string& key)
{
    const auto body = result.json();
    CPPUNIT_ASSERT_MESSAGE("no " + key + " in " + result.body, body->has(key) && !body->get(key).isEmpty());
    return body->getValue<Poco::Int64>(key);
}

/// The values of an array member of a JSON object response, comma-separated in order.
inline std::string listText(const HttpResult& result, const std::string& key)
{
    const auto values = result.json()->getArray(key);
    CPPUNIT_ASSERT_MESSAGE("no array " + key + " in " + result.body, values);
    std::string joined;
    for (std::size_t i = 0; i < values->size(); ++i)
        joined += (i ? "," : "") + values->get(static_cast<unsigned>(i)).convert<std::string>();
    return joined;
}

/// `key` of every item of a list response, comma-separated in response order.
inline std::string column(const HttpResult& result, const std::string& key)
{
    const auto items = result.json()->getArray("items");
    std::string joined;
    for (std::size_t i = 0; i < items->size(); ++i)
    {
        const auto value = items->getObject(static_cast<unsigned>(i))->get(key);
        joined += (i ? "," : "") + (value.isEmpty() ? std::string("null") : value.convert<std::string>());
    }
    return joined;
}

/// Counts rows of some tables, and the state of some resources, before a write that must be rejected;
/// unchanged() then fails if any row count or any resource body differs. audit_events is always
/// counted: every accepted write appends to it.
class Unchanged
{
public:
    Unchanged(HttpTestServer& server, std::vector<std::string> tables, std::vector<std::string> paths = {})
        : _server(server), _tables(std::move(tables)), _paths(std::move(paths))
    {
        _tables.push_back("audit_events");
        for (const auto& table : _tables)
            _counts.push_back(_server.count(table));
        for (const auto& path : _paths)
            _bodies.push_back(_server.get(path).body);
    }

    void check(const std::string& what)
    {
        for (std::size_t i = 0; i < _tables.size(); ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": rows of " + _tables[i], _counts[i], _server.count(_tables[i]));
        for (std::size_t i = 0; i < _paths.size(); ++i)
            CPPUNIT_ASSERT_EQUAL_MESSAGE(what + ": GET " + _paths[i], _bodies[i], _server.get(_paths[i]).body);
    }

private:
    HttpTestServer& _server;
    std::vector<std::string> _tables;
    std::vector<std::string> _paths;
    std::vector<Poco::Int64> _counts;
    std::vector<std::string> _bodies;
};

} // namespace captrack::test::api
