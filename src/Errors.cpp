#include "captrack/Errors.h"

#include <typeinfo>

namespace captrack
{

POCO_IMPLEMENT_EXCEPTION(BadRequestError, Poco::Exception, "Bad request")
POCO_IMPLEMENT_EXCEPTION(NotFoundError, Poco::Exception, "Not found")
POCO_IMPLEMENT_EXCEPTION(ConflictError, Poco::Exception, "Conflict")
POCO_IMPLEMENT_EXCEPTION(PreconditionFailedError, Poco::Exception, "Precondition failed")
POCO_IMPLEMENT_EXCEPTION(PreconditionRequiredError, Poco::Exception, "Precondition required")
POCO_IMPLEMENT_EXCEPTION(UnauthorizedError, Poco::Exception, "Unauthorized")
POCO_IMPLEMENT_EXCEPTION(ForbiddenError, Poco::Exception, "Forbidden")
POCO_IMPLEMENT_EXCEPTION(MethodNotAllowedError, Poco::Exception, "Method not allowed")
POCO_IMPLEMENT_EXCEPTION(PayloadTooLargeError, Poco::Exception, "Payload too large")
POCO_IMPLEMENT_EXCEPTION(UnsupportedMediaTypeError, Poco::Exception, "Unsupported media type")
POCO_IMPLEMENT_EXCEPTION(UnavailableError, Poco::Exception, "Service unavailable")
POCO_IMPLEMENT_EXCEPTION(InsufficientStorageError, Poco::Exception, "Insufficient storage")

namespace
{
std::string summarize(const FieldErrors& errors)
{
    std::string text;
    for (const auto& error : errors)
    {
        if (!text.empty())
            text += "; ";
        text += error.field + ": " + error.message;
    }
    return text;
}
} // namespace

ValidationError::ValidationError(FieldErrors errors) : Poco::Exception(summarize(errors)), _errors(std::move(errors)) {}

ValidationError::ValidationError(const std::string& field, const std::string& message)
    : ValidationError(FieldErrors{{field, message}})
{
}

const char* ValidationError::name() const noexcept
{
    return "Validation failed";
}

const char* ValidationError::className() const noexcept
{
    return typeid(*this).name();
}

Poco::Exception* ValidationError::clone() const
{
    return new ValidationError(*this);
}

void ValidationError::rethrow() const
{
    throw *this;
}

TooManyRequestsError::TooManyRequestsError(const std::string& message, int retryAfterSeconds)
    : Poco::Exception(message), _retryAfter(retryAfterSeconds)
{
}

const char* TooManyRequestsError::name() const noexcept
{
    return "Too many requests";
}

const char* TooManyRequestsError::className() const noexcept
{
    return typeid(*this).name();
}

Poco::Exception* TooManyRequestsError::clone() const
{
    return new TooManyRequestsError(*this);
}

void TooManyRequestsError::rethrow() const
{
    throw *this;
}

OverloadedError::OverloadedError(const std::string& message, int retryAfterSeconds)
    : Poco::Exception(message), _retryAfter(retryAfterSeconds)
{
}

const char* OverloadedError::name() const noexcept
{
    return "Service unavailable";
}

const char* OverloadedError::className() const noexcept
{
    return typeid(*this).name();
}

Poco::Exception* OverloadedError::clone() const
{
    return new OverloadedError(*this);
}

void OverloadedError::rethrow() const
{
    throw *this;
}

void throwIfAny(const FieldErrors& errors)
{
    if (!errors.empty())
        throw ValidationError(errors);
}

} // namespace captrack
