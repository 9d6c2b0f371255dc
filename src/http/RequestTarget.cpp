#include "captrack/http/RequestTarget.h"

#include "captrack/Errors.h"
#include "captrack/domain/Utf8.h"

#include <Poco/URI.h>

namespace captrack::http
{

namespace
{
int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

[[noreturn]] void refuse(const std::string& why)
{
    throw BadRequestError("the path is not in normal form: " + why);
}

/// One path segment, percent-decoded, refusing what could make two spellings name different routes.
std::string decodeSegment(const std::string& raw)
{
    std::string decoded;
    for (std::size_t i = 0; i < raw.size(); ++i)
    {
        char c = raw[i];
        if (c == '\\')
            refuse("it holds a backslash");
        if (c == '%')
        {
            const int high = i + 2 < raw.size() ? hexValue(raw[i + 1]) : -1;
            const int low = i + 2 < raw.size() ? hexValue(raw[i + 2]) : -1;
            if (high < 0 || low < 0)
                refuse("it holds a malformed percent-escape");
            c = static_cast<char>(high * 16 + low);
            if (c == '/' || c == '\\')
                refuse("it holds an encoded slash or backslash");
            i += 2;
        }
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            refuse("it holds a control character");
        decoded += c;
    }
    if (decoded == "." || decoded == "..")
        refuse("it holds a '.' or '..' segment");
    if (!domain::utf8::isValid(decoded))
        refuse("it is not UTF-8");
    return decoded;
}

std::string normalPath(const std::string& raw)
{
    if (raw.empty() || raw.front() != '/')
        throw BadRequestError("only origin-form request-targets (an absolute path) are served");
    if (raw == "/")
        return raw;
    std::string path;
    std::size_t start = 1;
    for (;;)
    {
        const auto slash = raw.find('/', start);
        const std::string segment = raw.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (segment.empty())
            refuse("it holds an empty segment ('//' or a trailing '/')");
        path += "/" + decodeSegment(segment);
        if (slash == std::string::npos)
            return path;
        start = slash + 1;
    }
}
} // namespace

RequestTarget parseRequestTarget(const std::string& target)
{
    if (target.find('#') != std::string::npos)
        throw BadRequestError("a request-target must not hold a fragment ('#')");
    const auto question = target.find('?');
    RequestTarget parsed;
    parsed.path = normalPath(target.substr(0, question));
    if (question == std::string::npos)
        return parsed;
    try
    {
        parsed.query = Poco::URI("/?" + target.substr(question + 1)).getQueryParameters();
    }
    catch (const Poco::SyntaxException&)
    {
        throw BadRequestError("the query string is malformed");
    }
    return parsed;
}

} // namespace captrack::http
