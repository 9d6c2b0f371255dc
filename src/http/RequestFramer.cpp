#include "captrack/http/RequestFramer.h"

#include <algorithm>
#include <cctype>

namespace captrack::http
{

namespace
{
constexpr std::size_t MAX_CHUNK_LINE = 1024;
constexpr std::size_t MAX_TRAILER_BYTES = 8 << 10;
constexpr std::size_t MAX_CONTENT_LENGTH_DIGITS = 18;

bool isTokenChar(unsigned char c)
{
    return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool isToken(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return isTokenChar(c); });
}

/// Field values: visible ASCII, spaces, tabs and obs-text; never CR, LF, NUL or other controls.
bool isFieldValue(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c == '\t' || (c >= 0x20 && c != 0x7f);
    });
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trimSpaces(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

FramingResult invalid(int status, std::string detail)
{
    FramingResult result;
    result.state = Framing::Invalid;
    result.status = status;
    result.detail = std::move(detail);
    return result;
}

bool allDigits(std::string_view text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// `method SP request-target SP HTTP-version`, each part strict.
std::optional<FramingResult> parseRequestLine(std::string_view line, const HeadLimits& limits, RequestHead& head)
{
    const auto firstSpace = line.find(' ');
    const auto lastSpace = line.rfind(' ');
    if (firstSpace == std::string_view::npos || firstSpace == lastSpace)
        return invalid(400, "the request line must be `METHOD /path HTTP/1.1`");
    const std::string_view method = line.substr(0, firstSpace);
    const std::string_view target = line.substr(firstSpace + 1, lastSpace - firstSpace - 1);
    const std::string_view version = line.substr(lastSpace + 1);
    if (!isToken(method) || method.size() > 20)
        return invalid(400, "the request method is not a valid token");
    if (target.size() > limits.maxTargetBytes)
        return invalid(414, "the request-target is longer than " + std::to_string(limits.maxTargetBytes) + " bytes");
    if (target.empty() || target.front() != '/')
        return invalid(400, "only origin-form request-targets (an absolute path such as /api/v1/projects) are served");
    if (!std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; }))
        return invalid(400, "the request-target holds characters that must be percent-encoded");
    if (version != "HTTP/1.1" && version != "HTTP/1.0")
    {
        if (version.size() == 8 && version.substr(0, 5) == "HTTP/")
            return invalid(505, "only HTTP/1.1 and HTTP/1.0 are served");
        return invalid(400, "the request line must end with the HTTP version");
    }
    head.method = std::string(method);
    head.target = std::string(target);
    head.version = std::string(version);
    return std::nullopt;
}

std::optional<FramingResult> parseFieldLine(std::string_view line, RequestHead& head)
{
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !isToken(line.substr(0, colon)))
        return invalid(400, "a header field is malformed (no folding, no space before the colon)");
    const std::string_view value = trimSpaces(line.substr(colon + 1));
    if (!isFieldValue(value))
        return invalid(400, "a header field value holds control characters");
    head.fields.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    return std::nullopt;
}

/// How often a field was sent, and its first value.
struct FieldValues
{
    std::size_t count = 0;
    std::string_view first;
};

FieldValues valuesOf(const RequestHead& head, std::string_view name)
{
    FieldValues values;
    for (const auto& [fieldName, value] : head.fields)
        if (equalsIgnoreCase(fieldName, name) && values.count++ == 0)
            values.first = value;
    return values;
}

bool hasConnectionOption(const RequestHead& head, std::string_view option)
{
    for (const auto& [fieldName, fieldValue] : head.fields)
    {
        if (!equalsIgnoreCase(fieldName, "Connection"))
            continue;
        std::string_view value = fieldValue;
        while (!value.empty())
        {
            const auto comma = value.find(',');
            if (equalsIgnoreCase(trimSpaces(value.substr(0, comma)), option))
                return true;
            value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
        }
    }
    return false;
}

/// RFC 9112 6.1 and 6.3: how the body is framed, refusing every ambiguous combination.
std::optional<FramingResult> checkMessageFraming(RequestHead& head)
{
    const auto transferEncodings = valuesOf(head, "Transfer-Encoding");
    const auto contentLengths = valuesOf(head, "Content-Length");
    if (transferEncodings.count > 0 && contentLengths.count > 0)
        return invalid(400, "Transfer-Encoding and Content-Length must not both be sent");
    if (transferEncodings.count > 0)
    {
        if (transferEncodings.count > 1 || !equalsIgnoreCase(transferEncodings.first, "chunked"))
            return invalid(400, "the only Transfer-Encoding accepted is exactly `chunked`");
        if (head.version != "HTTP/1.1")
            return invalid(400, "Transfer-Encoding needs HTTP/1.1");
        head.chunked = true;
    }
    if (contentLengths.count > 1)
        return invalid(400, "Content-Length must be sent at most once");
    if (contentLengths.count == 1)
    {
        const std::string_view text = contentLengths.first;
        if (!allDigits(text) || text.size() > MAX_CONTENT_LENGTH_DIGITS)
            return invalid(400, "Content-Length must be plain decimal digits");
        head.contentLength = std::stoull(std::string(text));
    }
    return std::nullopt;
}

std::optional<FramingResult> checkFields(RequestHead& head, const HeadLimits& limits)
{
    if (head.fields.size() > limits.maxFields)
        return invalid(431, "more than " + std::to_string(limits.maxFields) + " header fields");
    const std::size_t hosts = valuesOf(head, "Host").count;
    if (hosts > 1 || (head.version == "HTTP/1.1" && hosts != 1))
        return invalid(400, "an HTTP/1.1 request needs exactly one Host field");
    if (auto problem = checkMessageFraming(head))
        return problem;
    head.keepAlive =
        head.version == "HTTP/1.1" ? !hasConnectionOption(head, "close") : hasConnectionOption(head, "keep-alive");
    return std::nullopt;
}

/// The offset just past the CRLF that ends the line starting at `from`, or nullopt when the line is
/// not complete yet; `bad` is set when a LF is not preceded by CR.
std::optional<std::size_t> lineEnd(std::string_view bytes, std::size_t from, bool& bad)
{
    const auto newline = bytes.find('\n', from);
    if (newline == std::string_view::npos)
        return std::nullopt;
    bad = newline == from || bytes[newline - 1] != '\r';
    return newline + 1;
}

FramingResult bodyComplete(std::string body, std::size_t consumed)
{
    FramingResult result;
    result.state = Framing::Complete;
    result.body = std::move(body);
    result.consumed = consumed;
    return result;
}

/// Parses a chunk-size line (hex size, optional extensions) that ends before `end` (at its CRLF).
std::optional<std::size_t> chunkSize(std::string_view line)
{
    const auto semicolon = line.find(';');
    const std::string_view digits = line.substr(0, semicolon);
    if (digits.empty() || digits.size() > 8 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); }))
        return std::nullopt;
    if (semicolon != std::string_view::npos && !isFieldValue(line.substr(semicolon)))
        return std::nullopt;
    return static_cast<std::size_t>(std::stoul(std::string(digits), nullptr, 16));
}

/// Decodes the trailer section from `progress` on, moving it past every whole trailer line.
FramingResult decodeTrailers(std::string_view bytes, ChunkedProgress& progress)
{
    std::size_t& at = progress.wireOffset;
    const std::size_t start = *progress.trailerStart;
    for (;;)
    {
        bool bad = false;
        const auto end = lineEnd(bytes, at, bad);
        if (!end)
            return at - start > MAX_TRAILER_BYTES ? invalid(400, "the chunked trailer is too long") : FramingResult{};
        if (bad)
            return invalid(400, "chunked body lines must end with CRLF");
        if (*end - at == 2)
            return bodyComplete(std::move(progress.body), *end);
        RequestHead ignored;
        if (parseFieldLine(bytes.substr(at, *end - at - 2), ignored) || *end - start > MAX_TRAILER_BYTES)
            return invalid(400, "the chunked trailer is malformed");
        at = *end;
    }
}

/// Decodes from `progress` on, moving it past every whole chunk and then every whole trailer line, so
/// a body arriving in many pieces is decoded once in all rather than once per piece.
FramingResult decodeChunked(std::string_view bytes, ChunkedProgress& progress, std::size_t maxBodyBytes)
{
    std::string& body = progress.body;
    std::size_t& at = progress.wireOffset;
    while (!progress.trailerStart)
    {
        bool bad = false;
        const auto end = lineEnd(bytes, at, bad);
        // The same bound whether the line arrived whole or in parts, so TCP's split cannot change the answer.
        if ((end ? *end - 1 : bytes.size()) - at > MAX_CHUNK_LINE)
            return invalid(400, "a chunk-size line is too long");
        if (!end)
            return {};
        const auto size = bad ? std::nullopt : chunkSize(bytes.substr(at, *end - at - 2));
        if (!size)
            return invalid(400, "a chunk-size line is malformed");
        if (*size == 0)
        {
            at = *end;
            progress.trailerStart = at;
            break;
        }
        if (body.size() + *size > maxBodyBytes)
            return invalid(413, "the body exceeds " + std::to_string(maxBodyBytes) + " bytes");
        if (bytes.size() < *end + *size + 2)
            return {};
        if (bytes.substr(*end + *size, 2) != "\r\n")
            return invalid(400, "chunk data must be followed by CRLF");
        body.append(bytes.substr(*end, *size));
        at = *end + *size + 2;
    }
    return decodeTrailers(bytes, progress);
}
} // namespace

std::optional<std::string> RequestHead::field(std::string_view name) const
{
    for (const auto& [fieldName, value] : fields)
        if (equalsIgnoreCase(fieldName, name))
            return value;
    return std::nullopt;
}

FramingResult parseRequestHead(std::string_view bytes, const HeadLimits& limits)
{
    HeadProgress fresh;
    return parseRequestHead(bytes, limits, fresh);
}

FramingResult parseRequestHead(std::string_view bytes, const HeadLimits& limits, HeadProgress& progress)
{
    std::size_t& at = progress.offset;
    // RFC 9112 2.2: empty lines before the request line are ignored.
    while (!progress.requestLine && bytes.substr(at, 2) == "\r\n")
        at += 2;
    for (;;)
    {
        bool bad = false;
        const auto end = lineEnd(bytes, at, bad);
        if (!end && !progress.requestLine && bytes.size() - at > limits.maxTargetBytes + 32)
            return invalid(414, "the request line is longer than " + std::to_string(limits.maxTargetBytes) + " bytes");
        if ((end ? *end : bytes.size()) > limits.maxHeadBytes)
            return invalid(431, "the request head is larger than " + std::to_string(limits.maxHeadBytes) + " bytes");
        if (!end)
            return {}; // Incomplete
        if (bad)
            return invalid(400, "request lines must end with CRLF");
        const std::string_view line = bytes.substr(at, *end - at - 2);
        at = *end;
        if (!progress.requestLine)
        {
            if (auto problem = parseRequestLine(line, limits, progress.head))
                return *problem;
            progress.requestLine = true;
            continue;
        }
        if (line.empty())
            break;
        if (auto problem = parseFieldLine(line, progress.head))
            return *problem;
    }
    if (auto problem = checkFields(progress.head, limits))
        return *problem;
    FramingResult result;
    result.head = std::move(progress.head);
    result.head.headBytes = at;
    result.state = Framing::Complete;
    return result;
}

FramingResult decodeBody(std::string_view bytes, const RequestHead& head, std::size_t maxBodyBytes)
{
    ChunkedProgress fresh;
    return decodeBody(bytes, head, maxBodyBytes, fresh);
}

FramingResult decodeBody(std::string_view bytes, const RequestHead& head, std::size_t maxBodyBytes,
                         ChunkedProgress& progress)
{
    if (head.chunked)
        return decodeChunked(bytes, progress, maxBodyBytes);
    if (head.contentLength > maxBodyBytes)
        return invalid(413, "the body exceeds " + std::to_string(maxBodyBytes) + " bytes");
    const auto length = static_cast<std::size_t>(head.contentLength);
    if (bytes.size() < length)
        return {};
    return bodyComplete(std::string(bytes.substr(0, length)), length);
}

} // namespace captrack::http
