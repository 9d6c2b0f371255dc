#pragma once

#include <Poco/Exception.h>

#include <string>
#include <vector>

namespace captrack
{

/// The error hierarchy of captrack. Every error a client can cause is one of these; the HTTP layer's
/// ProblemWriter maps each to its status code. Anything else reaching the error boundary is a 500.
/// Throw by value, catch by const reference.

/// 400: the request cannot be read at all (malformed JSON, a body that is not an object, a bad query
/// parameter). Use ValidationError instead when the body parses but a field is wrong.
POCO_DECLARE_EXCEPTION(, BadRequestError, Poco::Exception)
/// 404: the resource does not exist, or the caller may not learn that it exists.
POCO_DECLARE_EXCEPTION(, NotFoundError, Poco::Exception)
/// 409: the request conflicts with stored state (duplicate code, deleting something still referenced).
POCO_DECLARE_EXCEPTION(, ConflictError, Poco::Exception)
/// 412: the If-Match version is stale; the stored resource was left unchanged.
POCO_DECLARE_EXCEPTION(, PreconditionFailedError, Poco::Exception)
/// 428: a PATCH or DELETE came without If-Match (or a body `version`).
POCO_DECLARE_EXCEPTION(, PreconditionRequiredError, Poco::Exception)
/// 401: no credentials, or credentials that are not valid.
POCO_DECLARE_EXCEPTION(, UnauthorizedError, Poco::Exception)
/// 403: valid credentials whose principal may not do this.
POCO_DECLARE_EXCEPTION(, ForbiddenError, Poco::Exception)
/// 405: the path exists but not with this method.
POCO_DECLARE_EXCEPTION(, MethodNotAllowedError, Poco::Exception)
/// 413: the request body exceeds the route's limit (1 MiB at most).
POCO_DECLARE_EXCEPTION(, PayloadTooLargeError, Poco::Exception)
/// 415: a request with a body that is not declared `application/json`.
POCO_DECLARE_EXCEPTION(, UnsupportedMediaTypeError, Poco::Exception)
/// 503 with Retry-After: the server cannot serve now (database unreachable, busy or not ready, no free
/// session in time). Nothing of the request was written.
POCO_DECLARE_EXCEPTION(, UnavailableError, Poco::Exception)
/// 507: the database cannot store the change (disk or database full, read-only storage). Nothing of the
/// request was written; reads go on.
POCO_DECLARE_EXCEPTION(, InsufficientStorageError, Poco::Exception)

/// 429: too many failed sign-ins for this username or client address; retry after the given seconds.
class TooManyRequestsError : public Poco::Exception
{
public:
    TooManyRequestsError(const std::string& message, int retryAfterSeconds);
    [[nodiscard]] int retryAfterSeconds() const noexcept { return _retryAfter; }
    const char* name() const noexcept override;
    const char* className() const noexcept override;
    Poco::Exception* clone() const override;
    void rethrow() const override;

private:
    int _retryAfter;
};

/// 503: the server is at a limit it sets itself on costly work done at once (report builds); retry
/// after the given seconds. Use UnavailableError when the database cannot serve.
class OverloadedError : public Poco::Exception
{
public:
    OverloadedError(const std::string& message, int retryAfterSeconds);
    [[nodiscard]] int retryAfterSeconds() const noexcept { return _retryAfter; }
    const char* name() const noexcept override;
    const char* className() const noexcept override;
    Poco::Exception* clone() const override;
    void rethrow() const override;

private:
    int _retryAfter;
};

/// One rejected field of a request body.
struct FieldError
{
    std::string field;
    std::string message;
};

using FieldErrors = std::vector<FieldError>;

/// 422: the body parsed but one or more fields break a rule. Carries every bad field, so a client can
/// show all of them at once.
class ValidationError : public Poco::Exception
{
public:
    explicit ValidationError(FieldErrors errors);
    ValidationError(const std::string& field, const std::string& message);

    [[nodiscard]] const FieldErrors& errors() const noexcept { return _errors; }
    const char* name() const noexcept override;
    const char* className() const noexcept override;
    Poco::Exception* clone() const override;
    void rethrow() const override;

private:
    FieldErrors _errors;
};

/// Throws ValidationError when errors is not empty.
void throwIfAny(const FieldErrors& errors);

} // namespace captrack
