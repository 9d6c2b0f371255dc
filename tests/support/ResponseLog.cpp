#include "ResponseLog.h"

#include "HttpTestServer.h"
#include "captrack/http/RequestTarget.h"

#include <Poco/JSON/Object.h>
#include <Poco/Process.h>

#include <cppunit/extensions/HelperMacros.h>

#include <cstdlib>
#include <fstream>
#include <mutex>

namespace captrack::test
{

namespace
{
bool isJson(const std::string& contentType)
{
    const std::string media = contentType.substr(0, contentType.find(';'));
    return media == "application/json" || media == "application/problem+json";
}

/// The route the router would run for a target, as "METHOD pattern" parts; empty when none (a target
/// not in normal form, an unknown path).
std::string routeOf(const http::Router& router, const std::string& method, const std::string& target)
{
    try
    {
        const auto route = router.match(method, http::parseRequestTarget(target).path);
        return route ? route->pattern : std::string();
    }
    catch (const std::exception&)
    {
        return {};
    }
}
} // namespace

void logResponse(const http::Router& router, const std::string& method, const std::string& target,
                 const std::string& requestBody, const HttpResult& result)
{
    static const char* folder = std::getenv("CAPTRACK_RESPONSE_LOG");
    if (!folder || !*folder)
        return;
    static std::mutex mutex;
    static std::ofstream out(std::string(folder) + "/responses-" + std::to_string(Poco::Process::id()) + ".jsonl",
                             std::ios::app);
    Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
    line.set("method", method);
    line.set("target", http::loggableTarget(target));
    const std::string route = routeOf(router, method, target);
    line.set("route", route.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(route));
    if (!requestBody.empty())
        line.set("request_body", requestBody);
    line.set("status", result.status);
    line.set("content_type", result.contentType);
    line.set("body_bytes", static_cast<Poco::UInt64>(result.body.size()));
    if (isJson(result.contentType))
        line.set("body", result.body);
    const std::lock_guard<std::mutex> lock(mutex);
    CPPUNIT_ASSERT_MESSAGE(std::string("cannot write to CAPTRACK_RESPONSE_LOG=") + folder, out.good());
    line.stringify(out);
    out << '\n' << std::flush;
}

} // namespace captrack::test
