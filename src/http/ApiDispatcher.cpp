#include "captrack/http/ApiDispatcher.h"

#include "captrack/Errors.h"
#include "captrack/http/ProblemWriter.h"
#include "captrack/http/RequestTarget.h"
#include "captrack/storage/StorageFault.h"

#include <Poco/Logger.h>
#include <Poco/Stopwatch.h>
#include <Poco/String.h>

#include <algorithm>
#include <cstdio>

namespace captrack::http
{

namespace
{
constexpr std::size_t UNROUTED_BODY_BYTES = SMALL_BODY_BYTES;

ApiResponse early(const Poco::Exception& error)
{
    return ProblemWriter::fromException(error, "(early)");
}
} // namespace

namespace
{
/// Whether a Content-Type's media type (its parameters aside) is `name`, in any case.
bool mediaTypeIs(const std::string& contentType, const char* name)
{
    return Poco::icompare(Poco::trim(contentType.substr(0, contentType.find(';'))), name) == 0;
}
} // namespace

bool isJsonMediaType(const std::string& contentType)
{
    return mediaTypeIs(contentType, "application/json");
}

bool isCsvMediaType(const std::string& contentType)
{
    // UTF-8 alone: a declared charset other than UTF-8 would be read as UTF-8 and mangled.
    const auto parameters = contentType.find(';');
    const std::string rest = parameters == std::string::npos ? "" : Poco::toLower(contentType.substr(parameters + 1));
    const std::string compact = Poco::replace(rest, " ", "");
    return mediaTypeIs(contentType, "text/csv") &&
           (compact.empty() || compact == "charset=utf-8" || compact == "charset=\"utf-8\"");
}

namespace
{
/// "METHOD target status 1.23ms request-id": the access log's line of a request, built without a format.
std::string accessLine(const RequestHead& head, int status, Poco::Timestamp::TimeDiff microseconds,
                       const std::string& requestId)
{
    char figures[48];
    const int length =
        std::snprintf(figures, sizeof figures, " %d %.2fms ", status, static_cast<double>(microseconds) / 1000.0);
    std::string line;
    // Never a calendar feed's secret (CalendarApi: loggableTarget).
    const std::string target = loggableTarget(head.target);
    line.reserve(head.method.size() + target.size() + requestId.size() + 32);
    line += head.method;
    line += ' ';
    line += target;
    line.append(figures, length > 0 ? std::min(static_cast<std::size_t>(length), sizeof figures - 1) : 0);
    line += requestId;
    return line;
}
} // namespace

ApiDispatcher::ApiDispatcher(const Router& router, const PrincipalResolver& resolver, RequestMetrics* pMetrics)
    : _router(router), _resolver(resolver), _pMetrics(pMetrics), _accessLog(Poco::Logger::get("captrack.access")),
      _log(Poco::Logger::get("captrack.http"))
{
}

HeadVerdict ApiDispatcher::inspect(const RequestHead& head) const
{
    HeadVerdict verdict;
    verdict.maxBodyBytes = UNROUTED_BODY_BYTES;
    try
    {
        const RequestTarget target = parseRequestTarget(head.target);
        const RouteOptions* pRoute = _router.optionsFor(head.method, target.path);
        if (!pRoute) // 404 or 405 whatever the body holds: only a small one is read, then the router answers
            return verdict;
        verdict.maxBodyBytes = pRoute->maxBodyBytes;
        if (!head.hasBody())
            return verdict;
        const std::string contentType = head.field("Content-Type").value_or("");
        if (pRoute->body == BodyType::Csv && !isCsvMediaType(contentType))
            throw UnsupportedMediaTypeError("an import's body must be declared `Content-Type: text/csv`");
        if (pRoute->body == BodyType::Json && !isJsonMediaType(contentType))
            throw UnsupportedMediaTypeError("a request body must be declared `Content-Type: application/json`");
        // Nothing of a body is read for a route the request could not be signed in to anyway.
        if (pRoute->access == Access::SignedIn && !head.field("Authorization"))
            throw UnauthorizedError("sign in first: send Authorization: Bearer <token> (POST /api/v1/auth/login)");
    }
    catch (const Poco::Exception& e)
    {
        verdict.early = early(e);
    }
    return verdict;
}

ApiResponse ApiDispatcher::respond(const RequestHead& head, std::string body,
                                   const Poco::Net::SocketAddress& client) const
{
    const std::string requestId = "req-" + std::to_string(++_requestCounter);
    Poco::Stopwatch watch;
    watch.start();
    if (_pMetrics)
        _pMetrics->started();
    std::size_t route = RequestMetrics::UNMATCHED;
    ApiResponse response = answer(head, std::move(body), client, requestId, route);
    const Poco::Timestamp::TimeDiff elapsed = watch.elapsed();
    if (_pMetrics)
    {
        _pMetrics->count(route, head.method, response.status, elapsed);
        _pMetrics->finished();
    }
    if (_accessLog.information())
        _accessLog.information(accessLine(head, response.status, elapsed, requestId));
    return response;
}

void ApiDispatcher::refused(const RequestHead* pHead, int status) const
{
    if (!_pMetrics)
        return;
    if (!pHead)
        return _pMetrics->countUnparsed(status);
    std::size_t route = RequestMetrics::UNMATCHED;
    try
    {
        route = _router.indexOf(pHead->method, parseRequestTarget(pHead->target).path).value_or(route);
    }
    catch (const Poco::Exception&)
    {
        // a target that is not in normal form: counted as unmatched
    }
    _pMetrics->countRefused(route, pHead->method, status);
}

ApiResponse ApiDispatcher::answer(const RequestHead& head, std::string body, const Poco::Net::SocketAddress& client,
                                  const std::string& requestId, std::size_t& route) const
{
    std::string path;
    try
    {
        RequestTarget target = parseRequestTarget(head.target);
        path = target.path;
        ApiRequest request(head, std::move(target.path), std::move(target.query), std::move(body), client);
        return _router.dispatch(
            request, [this](const ApiRequest& r) { return _resolver.resolve(r); }, &route);
    }
    catch (const NotFoundError&)
    {
        // One answer for whatever is not there or not visible, so that a 404 tells nothing more.
        return ProblemWriter::notFound(path);
    }
    catch (const MethodNotAllowedError& e)
    {
        ApiResponse response = ProblemWriter::fromException(e, requestId);
        response.headers.emplace_back("Allow", _router.allowedMethods(path));
        return response;
    }
    catch (const Poco::Exception& e)
    {
        // A database that is down, busy or full is no fault of the server's code: 503 or 507, never 500.
        if (const auto pStorageError = storage::clientErrorFor(e))
            return ProblemWriter::fromException(*pStorageError, requestId);
        if (!ProblemWriter::isClientError(e))
            _log.error("%s: %s", requestId, e.displayText());
        return ProblemWriter::fromException(e, requestId);
    }
    catch (const std::exception& e)
    {
        _log.error("%s: %s", requestId, std::string(e.what()));
        return ProblemWriter::internalError(requestId);
    }
}

} // namespace captrack::http
