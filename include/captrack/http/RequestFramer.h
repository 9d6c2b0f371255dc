#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace captrack::http
{

/// The head of one HTTP/1.x request, as the client sent it, once framing has accepted it.
struct RequestHead
{
    std::string method;
    std::string target;                                      ///< the raw request-target (origin-form: starts with '/')
    std::string version;                                     ///< "HTTP/1.1" or "HTTP/1.0"
    std::vector<std::pair<std::string, std::string>> fields; ///< names as sent, values without surrounding spaces
    bool chunked = false;                                    ///< Transfer-Encoding: chunked
    std::uint64_t contentLength = 0;                         ///< from Content-Length (0 when absent or chunked)
    bool keepAlive = true;                                   ///< whether the client asked to keep the connection
    std::size_t headBytes = 0; ///< bytes from the first byte of the request to the end of the blank line

    /// The value of the first field with this name (compared without regard to case).
    [[nodiscard]] std::optional<std::string> field(std::string_view name) const;
    /// True when the request carries a body (a Content-Length above 0, or chunked).
    [[nodiscard]] bool hasBody() const { return chunked || contentLength > 0; }
};

/// Where framing of the bytes received so far stands.
enum class Framing
{
    Incomplete, ///< more bytes are needed
    Complete,   ///< a whole head (or body) is there
    Invalid,    ///< the bytes cannot be a valid request: answer `status` and close the connection
};

/// Bounds of a request head.
struct HeadLimits
{
    std::size_t maxHeadBytes = 16 << 10;  ///< request line and fields together (431 beyond)
    std::size_t maxTargetBytes = 8 << 10; ///< the request-target (414 beyond)
    std::size_t maxFields = 100;          ///< header fields (431 beyond)
};

/// The outcome of parseRequestHead or decodeBody.
struct FramingResult
{
    Framing state = Framing::Incomplete;
    int status = 0;           ///< for Invalid: 400, 413, 414, 431, 505 or 501
    std::string detail;       ///< for Invalid: what was wrong, for the client
    RequestHead head;         ///< for a complete head
    std::string body;         ///< for a complete body: the payload (de-chunked)
    std::size_t consumed = 0; ///< for a complete body: bytes of the wire taken by the body
};

/// Frames a request head strictly by RFC 9112, so that no proxy in front can frame the same bytes
/// differently (request smuggling): CRLF line ends only, no obs-fold, no whitespace before a colon,
/// origin-form targets only, exactly one Host on HTTP/1.1, Transfer-Encoding only as exactly
/// `chunked` and never with Content-Length, at most one Content-Length and only plain digits.
/// `bytes` starts at the first byte of the request (leading empty lines are skipped). Pure.
[[nodiscard]] FramingResult parseRequestHead(std::string_view bytes, const HeadLimits& limits = {});

/// How far a head has been parsed: its lines before `offset` are in `head` (the request line once
/// `requestLine` is set). Kept between calls so each line is parsed once; a fresh one for each request.
struct HeadProgress
{
    std::size_t offset = 0;
    bool requestLine = false;
    RequestHead head;
};

/// The same, resuming where `progress` stands (the bytes given must start at the request's first byte
/// and extend those of the earlier calls), so a head arriving a byte at a time costs no more than one
/// arriving whole. The answer does not depend on how the bytes were split.
[[nodiscard]] FramingResult parseRequestHead(std::string_view bytes, const HeadLimits& limits, HeadProgress& progress);

/// How far a chunked body has been decoded: whole chunks up to `wireOffset` (from the body's start)
/// are in `body`; once the last chunk was read, `trailerStart` says where the trailer section begins
/// and `wireOffset` moves on past its whole lines. Kept between calls so each byte is decoded once.
struct ChunkedProgress
{
    std::size_t wireOffset = 0;
    std::string body;
    std::optional<std::size_t> trailerStart;
};

/// Frames the body that follows a complete head: `bytes` starts right after the head. A body over
/// `maxBodyBytes` is Invalid with 413; malformed chunks (bad size, data not followed by CRLF, bad
/// trailers) are Invalid with 400. Pure.
[[nodiscard]] FramingResult decodeBody(std::string_view bytes, const RequestHead& head, std::size_t maxBodyBytes);
/// The same, resuming a chunked body where `progress` stands (the bytes given must start at the body's
/// start and extend those of the earlier calls). A complete body is moved out of `progress`.
[[nodiscard]] FramingResult decodeBody(std::string_view bytes, const RequestHead& head, std::size_t maxBodyBytes,
                                       ChunkedProgress& progress);

} // namespace captrack::http
