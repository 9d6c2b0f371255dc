#include "captrack/http/RequestTarget.h"

#include "captrack/Errors.h"
#include "captrack/domain/Utf8.h"

#include <Poco/URI.h>

#include <cctype>
#include <string_view>

namespace captrack::http
{

namespace
{
const std::string HIDDEN_SECRET = "*****";
constexpr std::size_t MIN_SECRET_RUN = 32;

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

/// Appends "/" and one path segment, percent-decoded, to `path`, refusing what could make two spellings
/// name different routes.
void appendSegment(std::string_view raw, std::string& path)
{
    path += '/';
    const std::size_t start = path.size();
    bool ascii = true;
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
        ascii = ascii && static_cast<unsigned char>(c) < 0x80;
        path += c;
    }
    const std::string_view decoded = std::string_view(path).substr(start);
    if (decoded == "." || decoded == "..")
        refuse("it holds a '.' or '..' segment");
    // Printable ASCII is UTF-8 as it stands; only a segment with other bytes needs the check.
    if (!ascii && !domain::utf8::isValid(std::string(decoded)))
        refuse("it is not UTF-8");
}

std::string normalPath(std::string_view raw)
{
    if (raw.empty() || raw.front() != '/')
        throw BadRequestError("only origin-form request-targets (an absolute path) are served");
    if (raw == "/")
        return std::string(raw);
    std::string path;
    path.reserve(raw.size());
    std::size_t start = 1;
    for (;;)
    {
        const auto slash = raw.find('/', start);
        const std::string_view segment =
            raw.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
        if (segment.empty())
            refuse("it holds an empty segment ('//' or a trailing '/')");
        appendSegment(segment, path);
        if (slash == std::string_view::npos)
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
    parsed.path = normalPath(std::string_view(target).substr(0, question));
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

std::string loggableTarget(const std::string& target)
{
    const std::string prefix = std::string(CALENDAR_ROOT) + "/";
    if (target.compare(0, prefix.size(), prefix) == 0)
        return prefix + HIDDEN_SECRET;
    try
    {
        // By the path the router sees, so that no spelling of it (percent-escapes) slips through.
        if (target.find('%') != std::string::npos &&
            parseRequestTarget(target).path.compare(0, prefix.size(), prefix) == 0)
            return prefix + HIDDEN_SECRET;
    }
    catch (const Poco::Exception&)
    {
        // Refused before routing; still no secret-like text in the log (below).
    }
    // Any run of 32 or more hex digits could be a secret sent to a wrong or malformed address.
    std::string shown;
    std::size_t run = 0;
    for (const char c : target)
    {
        shown += c;
        run = std::isxdigit(static_cast<unsigned char>(c)) ? run + 1 : 0;
        if (run == MIN_SECRET_RUN)
            shown.replace(shown.size() - run, run, HIDDEN_SECRET);
        else if (run > MIN_SECRET_RUN)
            shown.pop_back();
    }
    return shown;
}

} // namespace captrack::http
