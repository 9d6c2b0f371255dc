#include "captrack/http/RequestHandlerFactory.h"

#include "captrack/Errors.h"
#include "captrack/http/ProblemWriter.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Stopwatch.h>
#include <Poco/URI.h>

#include <istream>

namespace captrack::http
{

namespace
{
constexpr std::streamsize MAX_BODY = 1 << 20;
constexpr std::streamsize MAX_DRAIN = 16 << 20;

class ApiRequestHandler : public Poco::Net::HTTPRequestHandler
{
public:
    ApiRequestHandler(const Router& router, const PrincipalResolver& resolver, std::string requestId)
        : _router(router), _resolver(resolver), _requestId(std::move(requestId))
    {
    }

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        Poco::Stopwatch watch;
        watch.start();
        bool keepAlive = true;
        const ApiResponse answer = answerFor(request, keepAlive);
        write(answer, request, response, keepAlive);
        watch.stop();
        auto& log = Poco::Logger::get("captrack.access");
        if (log.information())
            log.information("%s %s %d %.2fms %s", request.getMethod(), request.getURI(), answer.status,
                            static_cast<double>(watch.elapsed()) / 1000.0, _requestId);
    }

private:
    ApiResponse answerFor(Poco::Net::HTTPServerRequest& request, bool& keepAlive)
    {
        try
        {
            const Poco::URI uri(request.getURI());
            std::string body = readBody(request, keepAlive);
            ApiRequest api(request, uri.getPath(), uri.getQueryParameters(), std::move(body));
            if (!RequestHandlerFactory::isPublicPath(api.path()))
                api.setPrincipal(_resolver.resolve(request));
            return _router.dispatch(api);
        }
        catch (const NotFoundError&)
        {
            return ProblemWriter::notFound(Poco::URI(request.getURI()).getPath());
        }
        catch (const MethodNotAllowedError& e)
        {
            ApiResponse answer = ProblemWriter::fromException(e, _requestId);
            answer.headers.emplace_back("Allow", _router.allowedMethods(Poco::URI(request.getURI()).getPath()));
            return answer;
        }
        catch (const Poco::SyntaxException& e)
        {
            return ProblemWriter::problem(400, "Bad request", "the request URI is malformed");
        }
        catch (const Poco::Exception& e)
        {
            if (!ProblemWriter::isClientError(e))
                Poco::Logger::get("captrack.http").error("%s: %s", _requestId, e.displayText());
            return ProblemWriter::fromException(e, _requestId);
        }
        catch (const std::exception& e)
        {
            Poco::Logger::get("captrack.http").error("%s: %s", _requestId, std::string(e.what()));
            return ProblemWriter::internalError(_requestId);
        }
    }

    /// Reads and discards what is left of a refused body (up to a bound), so that closing the
    /// connection afterwards does not reset it before the client has read the answer.
    static void drain(std::istream& in)
    {
        char buffer[8192];
        std::streamsize drained = 0;
        while (drained < MAX_DRAIN && (in.read(buffer, sizeof buffer) || in.gcount() > 0))
            drained += in.gcount();
    }

    static std::string readBody(Poco::Net::HTTPServerRequest& request, bool& keepAlive)
    {
        // RFC 9112 6.3: without Content-Length or chunked transfer coding, a request has no body.
        if (!request.hasContentLength() && !request.getChunkedTransferEncoding())
            return {};
        std::istream& in = request.stream();
        if (request.hasContentLength() && request.getContentLength64() > MAX_BODY)
        {
            keepAlive = false;
            if (request.getContentLength64() <= MAX_DRAIN)
                drain(in);
            throw PayloadTooLargeError("the body exceeds 1 MiB");
        }
        std::string body;
        char buffer[8192];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
        {
            body.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (static_cast<std::streamsize>(body.size()) > MAX_BODY)
            {
                keepAlive = false;
                drain(in);
                throw PayloadTooLargeError("the body exceeds 1 MiB");
            }
        }
        return body;
    }

    static void write(const ApiResponse& answer, Poco::Net::HTTPServerRequest& request,
                      Poco::Net::HTTPServerResponse& response, bool keepAlive)
    {
        response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
        for (const auto& [name, value] : answer.headers)
            response.set(name, value);
        response.set("X-Content-Type-Options", "nosniff");
        if (!response.has("Cache-Control"))
            response.set("Cache-Control", "no-store");
        response.setKeepAlive(keepAlive && request.getKeepAlive());
        if (!answer.contentType.empty())
            response.setContentType(answer.contentType);
        if (answer.status != 204 && answer.status != 304) // RFC 9110 8.6: none on 204; 304 would need the 200 length
            response.setContentLength64(static_cast<Poco::Int64>(answer.body.size()));
        auto& out = response.send();
        if (request.getMethod() != "HEAD")
            out.write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
    }

    const Router& _router;
    const PrincipalResolver& _resolver;
    std::string _requestId;
};
} // namespace

RequestHandlerFactory::RequestHandlerFactory(const Router& router, const PrincipalResolver& resolver)
    : _router(router), _resolver(resolver)
{
}

Poco::Net::HTTPRequestHandler* RequestHandlerFactory::createRequestHandler(const Poco::Net::HTTPServerRequest&)
{
    return new ApiRequestHandler(_router, _resolver, "req-" + std::to_string(++_requestCounter));
}

bool RequestHandlerFactory::isPublicPath(const std::string& path)
{
    return path == "/healthz" || path == "/readyz" || path == "/api/v1/auth/login" || path == "/api/v1/openapi.json" ||
           path.rfind("/api/", 0) != 0;
}

} // namespace captrack::http
