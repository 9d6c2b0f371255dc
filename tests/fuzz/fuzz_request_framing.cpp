// Fuzzes the strict HTTP/1.x framing (captrack::http::parseRequestHead, decodeBody) with raw bytes as
// a client sends them: the head, then whatever follows it, framed as a body under several limits.
// Beyond "no crash", it checks what the transport relies on: a complete head or body lies inside the
// bytes given, a body never exceeds its limit, a head still incomplete never exceeds the head limit
// (the transport may buffer it), and bytes cut before the end of a complete message are incomplete
// rather than refused or accepted (the result must not depend on how TCP split them). The transport
// resumes a head and a chunked body as their bytes come (HeadProgress, ChunkedProgress): fed in pieces,
// the bytes must frame as they do whole.
#include "FuzzSupport.h"

#include "captrack/http/RequestFramer.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace
{
using captrack::fuzz::check;
using captrack::http::ChunkedProgress;
using captrack::http::decodeBody;
using captrack::http::Framing;
using captrack::http::FramingResult;
using captrack::http::HeadLimits;
using captrack::http::HeadProgress;
using captrack::http::parseRequestHead;
using captrack::http::RequestHead;

bool sameName(const std::string& a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::size_t countFields(const RequestHead& head, std::string_view name)
{
    return static_cast<std::size_t>(std::count_if(head.fields.begin(), head.fields.end(),
                                                  [&](const auto& field) { return sameName(field.first, name); }));
}

/// Decimal digits as the number they spell would print them ("007" -> "7", "000" -> "0").
std::string withoutLeadingZeros(const std::string& digits)
{
    const auto first = digits.find_first_not_of('0');
    return first == std::string::npos ? "0" : digits.substr(first);
}

/// Where a client's bytes may stop short of a whole message: half-way, one byte short, and just before
/// each line end (where a check on an incomplete line differs most from one on a complete line).
std::vector<std::size_t> cutsBefore(std::string_view bytes, std::size_t end)
{
    std::vector<std::size_t> cuts{end - 1, end / 2};
    for (std::size_t at = bytes.find('\n'); at < end && cuts.size() < 64; at = bytes.find('\n', at + 1))
        cuts.push_back(at);
    return cuts;
}

/// Where the transport may resume: the cuts of cutsBefore, in order, then the end.
std::vector<std::size_t> pieces(std::string_view bytes)
{
    auto cuts = cutsBefore(bytes, bytes.size());
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
    cuts.push_back(bytes.size());
    return cuts;
}

/// Fed in pieces through one progress, a head is refused, incomplete or complete as it is whole, and a
/// complete one is the same head.
void checkHeadInPieces(std::string_view bytes, const HeadLimits& limits, const FramingResult& whole)
{
    if (bytes.empty())
        return;
    HeadProgress progress;
    FramingResult result;
    for (const std::size_t cut : pieces(bytes))
        if ((result = parseRequestHead(bytes.substr(0, cut), limits, progress)).state != Framing::Incomplete)
            break;
    check(result.state == whole.state, "a head framed differently in pieces");
    if (whole.state == Framing::Complete)
        check(result.head.headBytes == whole.head.headBytes && result.head.target == whole.head.target &&
                  result.head.fields == whole.head.fields && result.head.contentLength == whole.head.contentLength &&
                  result.head.chunked == whole.head.chunked,
              "a head parsed in pieces differs from the head parsed whole");
}

/// The same for a chunked body through one ChunkedProgress.
void checkBodyInPieces(std::string_view bytes, const RequestHead& head, std::size_t limit, const FramingResult& whole)
{
    if (!head.chunked || bytes.empty())
        return;
    ChunkedProgress progress;
    FramingResult result;
    for (const std::size_t cut : pieces(bytes))
        if ((result = decodeBody(bytes.substr(0, cut), head, limit, progress)).state != Framing::Incomplete)
            break;
    check(result.state == whole.state, "a chunked body framed differently in pieces");
    if (whole.state == Framing::Complete)
        check(result.body == whole.body && result.consumed == whole.consumed,
              "a chunked body decoded in pieces differs from the body decoded whole");
}

void checkInvalid(const FramingResult& result)
{
    static const int STATUSES[] = {400, 413, 414, 431, 501, 505};
    check(std::find(std::begin(STATUSES), std::end(STATUSES), result.status) != std::end(STATUSES),
          "an Invalid result has status " + std::to_string(result.status));
    check(!result.detail.empty(), "an Invalid result says nothing of why");
}

/// A complete head frames its body one way only (RFC 9112 6.1, 6.3).
void checkHeadFields(const RequestHead& head, const HeadLimits& limits)
{
    check(head.target.size() <= limits.maxTargetBytes && !head.target.empty() && head.target[0] == '/',
          "a complete head has a target that is not origin-form within its limit");
    check(head.version == "HTTP/1.1" || head.version == "HTTP/1.0", "a complete head has version " + head.version);
    check(head.fields.size() <= limits.maxFields, "a complete head has more fields than its limit");
    const std::size_t transferEncodings = countFields(head, "Transfer-Encoding");
    const std::size_t contentLengths = countFields(head, "Content-Length");
    check(transferEncodings + contentLengths <= 1, "a complete head frames its body in two ways");
    check(head.chunked == (transferEncodings == 1), "chunked does not follow Transfer-Encoding");
    check(!head.chunked || head.contentLength == 0, "a chunked head has a Content-Length");
    if (contentLengths == 1)
        check(withoutLeadingZeros(*head.field("Content-Length")) == std::to_string(head.contentLength),
              "contentLength differs from the Content-Length field");
}

void checkBody(std::string_view bytes, const RequestHead& head, std::size_t limit)
{
    const FramingResult result = decodeBody(bytes, head, limit);
    checkBodyInPieces(bytes, head, limit, result);
    if (result.state == Framing::Invalid)
    {
        checkInvalid(result);
        check(result.status == 400 || result.status == 413, "a body is refused with " + std::to_string(result.status));
        check(head.chunked || result.status == 413, "a Content-Length body is refused as malformed");
        return;
    }
    if (result.state == Framing::Incomplete)
    {
        check(head.chunked || bytes.size() < head.contentLength, "a whole Content-Length body is incomplete");
        return;
    }
    check(result.consumed <= bytes.size(), "a complete body consumed more bytes than there are");
    check(result.body.size() <= limit, "a complete body exceeds its limit");
    if (!head.chunked)
    {
        check(result.consumed == head.contentLength && result.body == bytes.substr(0, result.consumed),
              "a Content-Length body is not the bytes that follow the head");
        return;
    }
    check(result.consumed >= 5, "a chunked body shorter than its last chunk");
    const FramingResult exact = decodeBody(bytes.substr(0, result.consumed), head, limit);
    check(exact.state == Framing::Complete && exact.body == result.body && exact.consumed == result.consumed,
          "a chunked body framed differently without the bytes after it");
    for (const std::size_t cut : cutsBefore(bytes, result.consumed))
        check(decodeBody(bytes.substr(0, cut), head, limit).state == Framing::Incomplete,
              "a chunked body cut at " + std::to_string(cut) + " of " + std::to_string(result.consumed) +
                  " is not incomplete");
}

void checkHead(std::string_view bytes, const HeadLimits& limits)
{
    const FramingResult result = parseRequestHead(bytes, limits);
    checkHeadInPieces(bytes, limits, result);
    if (result.state == Framing::Invalid)
        return checkInvalid(result);
    if (result.state == Framing::Incomplete)
        return check(bytes.size() <= limits.maxHeadBytes, "an incomplete head is larger than the head limit");
    const std::size_t size = result.head.headBytes;
    check(size <= bytes.size() && size <= limits.maxHeadBytes, "a complete head is larger than its bytes or limit");
    check(bytes.substr(0, size).substr(size >= 4 ? size - 4 : 0) == "\r\n\r\n", "a head does not end with CRLF CRLF");
    checkHeadFields(result.head, limits);
    const FramingResult exact = parseRequestHead(bytes.substr(0, size), limits);
    check(exact.state == Framing::Complete && exact.head.headBytes == size && exact.head.target == result.head.target,
          "a head framed differently without the bytes after it");
    for (const std::size_t cut : cutsBefore(bytes, size))
        check(parseRequestHead(bytes.substr(0, cut), limits).state == Framing::Incomplete,
              "a head cut at " + std::to_string(cut) + " of " + std::to_string(size) + " is not incomplete");
    for (const std::size_t limit : {std::size_t(0), std::size_t(7), std::size_t(64), std::size_t(1) << 20})
        checkBody(bytes.substr(size), result.head, limit);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    checkHead(bytes, HeadLimits{});
    checkHead(bytes, HeadLimits{256, 64, 4});
    return 0;
}
