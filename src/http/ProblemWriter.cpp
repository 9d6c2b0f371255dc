#include "captrack/http/ProblemWriter.h"

#include "captrack/Errors.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

namespace captrack::http
{

namespace
{
struct Kind
{
    int status;
    const char* slug;
    const char* title;
};

const Kind* kindOf(const Poco::Exception& error)
{
    static const Kind badRequest{400, "bad-request", "Bad request"};
    static const Kind unauthorized{401, "unauthorized", "Unauthorized"};
    static const Kind forbidden{403, "forbidden", "Forbidden"};
    static const Kind notFound{404, "not-found", "Not found"};
    static const Kind methodNotAllowed{405, "method-not-allowed", "Method not allowed"};
    static const Kind conflict{409, "conflict", "Conflict"};
    static const Kind preconditionFailed{412, "precondition-failed", "Precondition failed"};
    static const Kind payloadTooLarge{413, "payload-too-large", "Payload too large"};
    static const Kind unsupportedMediaType{415, "unsupported-media-type", "Unsupported media type"};
    static const Kind validation{422, "validation", "Validation failed"};
    static const Kind preconditionRequired{428, "precondition-required", "Precondition required"};
    static const Kind unavailable{503, "unavailable", "Service unavailable"};
    static const Kind tooMany{429, "too-many-requests", "Too many requests"};
    static const Kind insufficientStorage{507, "insufficient-storage", "Insufficient storage"};
    if (dynamic_cast<const TooManyRequestsError*>(&error))
        return &tooMany;
    if (dynamic_cast<const ValidationError*>(&error))
        return &validation;
    if (dynamic_cast<const BadRequestError*>(&error))
        return &badRequest;
    if (dynamic_cast<const UnauthorizedError*>(&error))
        return &unauthorized;
    if (dynamic_cast<const ForbiddenError*>(&error))
        return &forbidden;
    if (dynamic_cast<const NotFoundError*>(&error))
        return &notFound;
    if (dynamic_cast<const MethodNotAllowedError*>(&error))
        return &methodNotAllowed;
    if (dynamic_cast<const ConflictError*>(&error))
        return &conflict;
    if (dynamic_cast<const PreconditionFailedError*>(&error))
        return &preconditionFailed;
    if (dynamic_cast<const PayloadTooLargeError*>(&error))
        return &payloadTooLarge;
    if (dynamic_cast<const UnsupportedMediaTypeError*>(&error))
        return &unsupportedMediaType;
    if (dynamic_cast<const PreconditionRequiredError*>(&error))
        return &preconditionRequired;
    if (dynamic_cast<const UnavailableError*>(&error) || dynamic_cast<const OverloadedError*>(&error))
        return &unavailable;
    if (dynamic_cast<const InsufficientStorageError*>(&error))
        return &insufficientStorage;
    return nullptr;
}

Poco::JSON::Object::Ptr problemObject(int status, const std::string& slug, const std::string& title,
                                      const std::string& detail)
{
    Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    body->set("type", "https://captrack.dev/problems/" + slug);
    body->set("title", title);
    body->set("status", status);
    body->set("detail", detail);
    return body;
}

ApiResponse asResponse(int status, const Poco::JSON::Object::Ptr& body)
{
    ApiResponse response = ApiResponse::json(status, body);
    response.contentType = "application/problem+json";
    return response;
}
} // namespace

bool ProblemWriter::isClientError(const Poco::Exception& error)
{
    const Kind* kind = kindOf(error);
    return kind && kind->status < 500;
}

ApiResponse ProblemWriter::fromException(const Poco::Exception& error, const std::string& requestId)
{
    const Kind* kind = kindOf(error);
    if (!kind)
        return internalError(requestId);
    // Poco's exception text is "Title: detail"; the detail alone is what a client needs.
    const std::string detail = error.message().empty() ? kind->title : error.message();
    auto body = problemObject(kind->status, kind->slug, kind->title, detail);
    if (const auto* validation = dynamic_cast<const ValidationError*>(&error))
    {
        Poco::JSON::Array::Ptr errors = new Poco::JSON::Array;
        for (const auto& fieldError : validation->errors())
        {
            Poco::JSON::Object::Ptr item = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
            item->set("field", fieldError.field);
            item->set("message", fieldError.message);
            errors->add(item);
        }
        body->set("detail", "one or more fields are not valid");
        body->set("errors", errors);
    }
    ApiResponse response = asResponse(kind->status, body);
    if (const auto* tooMany = dynamic_cast<const TooManyRequestsError*>(&error))
        response.headers.emplace_back("Retry-After", std::to_string(tooMany->retryAfterSeconds()));
    if (const auto* overloaded = dynamic_cast<const OverloadedError*>(&error))
        response.headers.emplace_back("Retry-After", std::to_string(overloaded->retryAfterSeconds()));
    else if (kind->status == 503)
        response.headers.emplace_back("Retry-After", std::to_string(DATABASE_RETRY_AFTER_SECONDS));
    if (kind->status == 401)
        response.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"captrack\"");
    return response;
}

ApiResponse ProblemWriter::notFound(const std::string& path)
{
    return asResponse(404, problemObject(404, "not-found", "Not found", "no resource at " + path));
}

ApiResponse ProblemWriter::internalError(const std::string& requestId)
{
    return asResponse(500, problemObject(500, "internal", "Internal server error",
                                         "the server failed; quote request id " + requestId + " to the operator"));
}

ApiResponse ProblemWriter::problem(int status, const std::string& title, const std::string& detail)
{
    return asResponse(status, problemObject(status, "error", title, detail));
}

} // namespace captrack::http
