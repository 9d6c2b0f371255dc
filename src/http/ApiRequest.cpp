#include "captrack/http/ApiRequest.h"

#include "captrack/Errors.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <sstream>

namespace captrack::http
{

ApiRequest::ApiRequest(const Poco::Net::HTTPServerRequest& raw, std::string path,
                       std::vector<std::pair<std::string, std::string>> query, std::string body)
    : _raw(raw), _path(std::move(path)), _query(std::move(query)), _body(std::move(body))
{
}

std::optional<std::string> ApiRequest::queryValue(const std::string& name) const
{
    std::optional<std::string> value;
    for (const auto& [key, v] : _query)
        if (key == name)
            value = v;
    return value;
}

const domain::Principal& ApiRequest::principal() const
{
    if (!_principal)
        throw UnauthorizedError("sign in first: send Authorization: Bearer <token> (POST /api/v1/auth/login)");
    return *_principal;
}

std::optional<std::string> ApiRequest::header(const std::string& name) const
{
    if (!_raw.has(name))
        return std::nullopt;
    return _raw.get(name);
}

Poco::Int64 ApiRequest::idParam(const std::string& name) const
{
    const std::string& text = param(name);
    Poco::Int64 id = 0;
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos ||
        !Poco::NumberParser::tryParse64(text, id) || id <= 0)
        throw NotFoundError("no resource at " + _path);
    return id;
}

namespace
{
/// Refuses what Poco's JSON parser would silently change: integers beyond 18 digits (it wraps them
/// past 64 bits) and NUL characters in strings (SQLite would cut the text there).
void checkJsonLiterals(const std::string& body)
{
    bool inString = false;
    std::size_t digits = 0;
    bool numberIsInteger = true;
    for (std::size_t i = 0; i < body.size(); ++i)
    {
        const char c = body[i];
        if (inString)
        {
            if (c == '\\' && i + 1 < body.size())
            {
                if (body.compare(i + 1, 5, "u0000") == 0)
                    throw BadRequestError("strings must not contain NUL characters (\\u0000)");
                ++i;
            }
            else if (c == '"')
                inString = false;
            continue;
        }
        if (c == '"')
            inString = true;
        if (c >= '0' && c <= '9')
            ++digits;
        else if (c == '.' || c == 'e' || c == 'E')
            numberIsInteger = false;
        else if (c != '-' && c != '+')
        {
            if (digits > 18 && numberIsInteger)
                throw BadRequestError("a whole number in the body has more than 18 digits");
            digits = 0;
            numberIsInteger = true;
        }
    }
    if (digits > 18 && numberIsInteger)
        throw BadRequestError("a whole number in the body has more than 18 digits");
}
} // namespace

Poco::JSON::Object::Ptr ApiRequest::jsonBody() const
{
    if (_body.empty())
        throw BadRequestError("the request needs a JSON object as its body");
    checkJsonLiterals(_body);
    Poco::Dynamic::Var parsed;
    try
    {
        Poco::JSON::Parser parser;
        parsed = parser.parse(_body);
    }
    catch (const Poco::Exception& e)
    {
        throw BadRequestError("the body is not valid JSON: " + e.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw BadRequestError("the body must be a JSON object");
    return parsed.extract<Poco::JSON::Object::Ptr>();
}

std::optional<Poco::Int64> ApiRequest::ifMatch() const
{
    auto value = header("If-Match");
    if (!value)
        return std::nullopt;
    std::string text = Poco::trim(*value);
    if (text == "*")
        throw PreconditionRequiredError("If-Match must name the version you last read, not *");
    if (text.rfind("W/", 0) == 0)
        text = text.substr(2);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    Poco::Int64 version = 0;
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
        !Poco::NumberParser::tryParse64(text, version))
        throw BadRequestError("If-Match must be an ETag of this API, e.g. \"3\"");
    return version;
}

ApiResponse ApiResponse::json(int status, const Poco::Dynamic::Var& value)
{
    ApiResponse response;
    response.status = status;
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    response.body = out.str();
    return response;
}

ApiResponse ApiResponse::noContent()
{
    ApiResponse response;
    response.status = 204;
    response.contentType.clear();
    return response;
}

} // namespace captrack::http
