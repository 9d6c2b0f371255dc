#include "captrack/http/RequestFramer.h"

#include <cppunit/extensions/HelperMacros.h>

using captrack::http::decodeBody;
using captrack::http::Framing;
using captrack::http::parseRequestHead;

namespace
{
const std::string HOST = "Host: x\r\n";

struct HeadCase
{
    const char* name;
    std::string bytes;
    Framing state;
    int status; ///< for Invalid
};

const char* stateName(Framing state)
{
    return state == Framing::Complete ? "complete" : state == Framing::Incomplete ? "incomplete" : "invalid";
}

/// The first answer parseRequestHead gives when `bytes` arrive one at a time, resuming one progress.
captrack::http::FramingResult parsedInPieces(const std::string& bytes)
{
    captrack::http::HeadProgress progress;
    captrack::http::FramingResult result;
    for (std::size_t size = 1; size <= bytes.size() && result.state == Framing::Incomplete; ++size)
        result = parseRequestHead(std::string_view(bytes).substr(0, size), {}, progress);
    return result;
}
} // namespace

/// Request framing by RFC 9112, strictly: every ambiguity a proxy could frame differently is refused.
class RequestFramerTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(RequestFramerTest);
    CPPUNIT_TEST(testHeadsAreFramedStrictly);
    CPPUNIT_TEST(testHeadArrivingInPiecesIsParsedOnce);
    CPPUNIT_TEST(testCompleteHeadCarriesItsParts);
    CPPUNIT_TEST(testLimitsOfTheHead);
    CPPUNIT_TEST(testContentLengthBodies);
    CPPUNIT_TEST(testChunkedBodies);
    CPPUNIT_TEST(testChunkedBodyArrivingInPiecesIsDecodedOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void testHeadsAreFramedStrictly()
    {
        const HeadCase cases[] = {
            {"plain GET", "GET / HTTP/1.1\r\n" + HOST + "\r\n", Framing::Complete, 0},
            {"leading empty line", "\r\nGET / HTTP/1.1\r\n" + HOST + "\r\n", Framing::Complete, 0},
            {"HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", Framing::Complete, 0},
            {"partial request line", "GET /heal", Framing::Incomplete, 0},
            {"partial fields", "GET / HTTP/1.1\r\nHost: x\r\n", Framing::Incomplete, 0},
            {"no leading slash", "GET api/v1/users HTTP/1.1\r\n" + HOST + "\r\n", Framing::Invalid, 400},
            {"absolute-form", "GET http://x/api HTTP/1.1\r\n" + HOST + "\r\n", Framing::Invalid, 400},
            {"asterisk-form", "OPTIONS * HTTP/1.1\r\n" + HOST + "\r\n", Framing::Invalid, 400},
            {"bare LF", "GET / HTTP/1.1\n" + HOST + "\r\n", Framing::Invalid, 400},
            {"bare LF in fields", "GET / HTTP/1.1\r\nHost: x\n\r\n", Framing::Invalid, 400},
            {"CR inside a value", "GET / HTTP/1.1\r\nHost: x\rY: z\r\n\r\n", Framing::Invalid, 400},
            {"two spaces", "GET  / HTTP/1.1\r\n" + HOST + "\r\n", Framing::Invalid, 400},
            {"no version", "GET /\r\n" + HOST + "\r\n", Framing::Invalid, 400},
            {"HTTP/2.0", "GET / HTTP/2.0\r\n" + HOST + "\r\n", Framing::Invalid, 505},
            {"lower-case version", "GET / http/1.1\r\n" + HOST + "\r\n", Framing::Invalid, 400},
            {"space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", Framing::Invalid, 400},
            {"obs-fold", "GET / HTTP/1.1\r\n" + HOST + "X-A: 1\r\n  2\r\n\r\n", Framing::Invalid, 400},
            {"control in value",
             "GET / HTTP/1.1\r\n" + HOST +
                 "X-A: a\x01"
                 "b\r\n\r\n",
             Framing::Invalid, 400},
            {"NUL in target", std::string("GET /a\0b HTTP/1.1\r\n", 20) + HOST + "\r\n", Framing::Invalid, 400},
            {"no Host on 1.1", "GET / HTTP/1.1\r\n\r\n", Framing::Invalid, 400},
            {"two Hosts", "GET / HTTP/1.1\r\n" + HOST + HOST + "\r\n", Framing::Invalid, 400},
            {"CL and TE", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
             Framing::Invalid, 400},
            {"TE gzip, chunked", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip, chunked\r\n\r\n",
             Framing::Invalid, 400},
            {"TE gzip", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip\r\n\r\n", Framing::Invalid, 400},
            {"TE twice",
             "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
             Framing::Invalid, 400},
            {"TE chunked upper case", "POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: CHUNKED\r\n\r\n",
             Framing::Complete, 0},
            {"TE on HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", Framing::Invalid, 400},
            {"two CL", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 3\r\nContent-Length: 4\r\n\r\n",
             Framing::Invalid, 400},
            {"two equal CL", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 3\r\nContent-Length: 3\r\n\r\n",
             Framing::Invalid, 400},
            {"CL list", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 3, 3\r\n\r\n", Framing::Invalid, 400},
            {"CL +3", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: +3\r\n\r\n", Framing::Invalid, 400},
            {"CL -1", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: -1\r\n\r\n", Framing::Invalid, 400},
            {"CL hex", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 0x10\r\n\r\n", Framing::Invalid, 400},
            {"CL empty", "POST / HTTP/1.1\r\n" + HOST + "Content-Length:\r\n\r\n", Framing::Invalid, 400},
            {"CL 19 digits", "POST / HTTP/1.1\r\n" + HOST + "Content-Length: 1000000000000000000\r\n\r\n",
             Framing::Invalid, 400},
        };
        for (const auto& c : cases)
        {
            const auto result = parseRequestHead(c.bytes);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name, std::string(stateName(c.state)), std::string(stateName(result.state)));
            if (c.state == Framing::Invalid)
                CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name, c.status, result.status);
            // The event thread resumes a head as its bytes come: one byte at a time, the answer is the same.
            const auto pieces = parsedInPieces(c.bytes);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(c.name) + ", in pieces", std::string(stateName(c.state)),
                                         std::string(stateName(pieces.state)));
            CPPUNIT_ASSERT_EQUAL_MESSAGE(std::string(c.name) + ", in pieces", result.status, pieces.status);
        }
    }

    /// Fed one byte at a time, a head's lines are each parsed once: the progress holds every whole
    /// field line and no line twice, and the head that comes out is the one parsed whole.
    void testHeadArrivingInPiecesIsParsedOnce()
    {
        const std::string bytes = "\r\nPOST /api/v1/projects HTTP/1.1\r\n" + HOST +
                                  "Content-Type: application/json\r\nContent-Length: 2\r\nX-A: 1\r\n\r\n";
        captrack::http::HeadProgress progress;
        std::size_t lines = 0; // whole lines so far, the leading empty one and the request line included
        for (std::size_t size = 1; size < bytes.size(); ++size)
        {
            const auto partial = parseRequestHead(std::string_view(bytes).substr(0, size), {}, progress);
            CPPUNIT_ASSERT_MESSAGE("prefix of " + std::to_string(size), partial.state == Framing::Incomplete);
            lines += bytes[size - 1] == '\n' ? 1 : 0;
            CPPUNIT_ASSERT_EQUAL_MESSAGE("prefix of " + std::to_string(size), lines > 2 ? lines - 2 : 0,
                                         progress.head.fields.size());
            CPPUNIT_ASSERT(progress.offset <= size);
        }
        CPPUNIT_ASSERT_EQUAL(bytes.size() - 2, progress.offset);
        const auto whole = parseRequestHead(bytes + "{}", {}, progress);
        const auto once = parseRequestHead(bytes + "{}");
        CPPUNIT_ASSERT(whole.state == Framing::Complete);
        CPPUNIT_ASSERT_EQUAL(once.head.target, whole.head.target);
        CPPUNIT_ASSERT_EQUAL(once.head.fields.size(), whole.head.fields.size());
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(2), whole.head.contentLength);
        CPPUNIT_ASSERT_EQUAL(bytes.size(), whole.head.headBytes);
    }

    void testCompleteHeadCarriesItsParts()
    {
        const std::string bytes = "\r\nPATCH /api/v1/milestones/7?x=1 HTTP/1.1\r\nHost: h\r\nIf-Match:  \"3\" \r\n"
                                  "content-length: 12\r\nConnection: Close\r\n\r\n{\"title\":1}";
        const auto result = parseRequestHead(bytes);
        CPPUNIT_ASSERT(result.state == Framing::Complete);
        const auto& head = result.head;
        CPPUNIT_ASSERT_EQUAL(std::string("PATCH"), head.method);
        CPPUNIT_ASSERT_EQUAL(std::string("/api/v1/milestones/7?x=1"), head.target);
        CPPUNIT_ASSERT_EQUAL(std::string("\"3\""), head.field("if-match").value_or("?"));
        CPPUNIT_ASSERT_EQUAL(std::uint64_t(12), head.contentLength);
        CPPUNIT_ASSERT(!head.keepAlive);
        CPPUNIT_ASSERT_EQUAL(bytes.size() - 11, head.headBytes);
        CPPUNIT_ASSERT(parseRequestHead("GET / HTTP/1.1\r\nHost: x\r\n\r\n").head.keepAlive);
        CPPUNIT_ASSERT(!parseRequestHead("GET / HTTP/1.0\r\n\r\n").head.keepAlive);
        CPPUNIT_ASSERT(parseRequestHead("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").head.keepAlive);
    }

    void testLimitsOfTheHead()
    {
        const std::string longTarget = "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\n" + HOST + "\r\n";
        CPPUNIT_ASSERT_EQUAL(414, parseRequestHead(longTarget).status);
        CPPUNIT_ASSERT_EQUAL(414, parseRequestHead("GET /" + std::string(9000, 'a')).status);
        CPPUNIT_ASSERT_EQUAL(414, parsedInPieces(longTarget).status);
        std::string manyFields = "GET / HTTP/1.1\r\n" + HOST;
        for (int i = 0; i < 101; ++i)
            manyFields += "X-" + std::to_string(i) + ": v\r\n";
        CPPUNIT_ASSERT_EQUAL(431, parseRequestHead(manyFields + "\r\n").status);
        const std::string bigField = "GET / HTTP/1.1\r\n" + HOST + "X-Big: " + std::string(17000, 'v');
        CPPUNIT_ASSERT_EQUAL(431, parseRequestHead(bigField).status);
        CPPUNIT_ASSERT_EQUAL(431, parsedInPieces(bigField).status);
        CPPUNIT_ASSERT_EQUAL(431, parsedInPieces(manyFields + "\r\n").status);
    }

    void testContentLengthBodies()
    {
        auto head = parseRequestHead("POST / HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n\r\n").head;
        CPPUNIT_ASSERT(decodeBody("abc", head, 100).state == Framing::Incomplete);
        const auto whole = decodeBody("abcdeGET", head, 100);
        CPPUNIT_ASSERT(whole.state == Framing::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("abcde"), whole.body);
        CPPUNIT_ASSERT_EQUAL(std::size_t(5), whole.consumed);
        CPPUNIT_ASSERT_EQUAL(413, decodeBody("", head, 4).status);
    }

    void testChunkedBodies()
    {
        const auto head = parseRequestHead("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n").head;
        struct Case
        {
            const char* name;
            std::string wire;
            Framing state;
            int status;
            const char* body;
        };
        const Case cases[] = {
            {"two chunks", "3\r\nabc\r\nA;ext=1\r\n0123456789\r\n0\r\n\r\nNEXT", Framing::Complete, 0, "abc0123456789"},
            {"trailer", "1\r\na\r\n0\r\nX-T: 1\r\n\r\n", Framing::Complete, 0, "a"},
            {"upper-case hex", "B\r\n0123456789a\r\n0\r\n\r\n", Framing::Complete, 0, "0123456789a"},
            {"partial data", "5\r\nab", Framing::Incomplete, 0, ""},
            {"no last chunk", "1\r\na\r\n", Framing::Incomplete, 0, ""},
            {"data without CRLF", "3\r\nabcXX0\r\n\r\n", Framing::Invalid, 400, ""},
            {"size not hex", "g\r\nabc\r\n0\r\n\r\n", Framing::Invalid, 400, ""},
            {"negative size", "-1\r\na\r\n0\r\n\r\n", Framing::Invalid, 400, ""},
            {"size with space", "3 \r\nabc\r\n0\r\n\r\n", Framing::Invalid, 400, ""},
            {"size too long", "000000001\r\na\r\n0\r\n\r\n", Framing::Invalid, 400, ""},
            {"bare LF", "3\nabc\r\n0\r\n\r\n", Framing::Invalid, 400, ""},
            {"bad trailer", "0\r\nno colon\r\n\r\n", Framing::Invalid, 400, ""},
            {"over the limit", "20\r\n" + std::string(32, 'x') + "\r\n0\r\n\r\n", Framing::Invalid, 413, ""},
            // Found by fuzz_request_framing: a long chunk line was refused in parts but accepted whole.
            {"long chunk line, whole", "1;" + std::string(1100, 'e') + "\r\na\r\n0\r\n\r\n", Framing::Invalid, 400, ""},
            {"long chunk line, in part", "1;" + std::string(1100, 'e'), Framing::Invalid, 400, ""},
            {"chunk line at the bound", "1;" + std::string(1021, 'e') + "\r\na\r\n0\r\n\r\n", Framing::Complete, 0,
             "a"},
        };
        for (const auto& c : cases)
        {
            const auto result = decodeBody(c.wire, head, 16);
            CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name, std::string(stateName(c.state)), std::string(stateName(result.state)));
            if (c.state == Framing::Invalid)
                CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name, c.status, result.status);
            if (c.state == Framing::Complete)
                CPPUNIT_ASSERT_EQUAL_MESSAGE(c.name, std::string(c.body), result.body);
        }
        const std::string wire = "3\r\nabc\r\n0\r\n\r\n";
        CPPUNIT_ASSERT_EQUAL(wire.size(), decodeBody(wire + "GET / HTTP/1.1", head, 16).consumed);
    }

    /// The event thread keeps a chunked body's progress between reads: fed one byte at a time, the
    /// body comes out the same, and whole chunks are never decoded twice.
    void testChunkedBodyArrivingInPiecesIsDecodedOnce()
    {
        const auto head = parseRequestHead("POST / HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n").head;
        const std::string wire = "3\r\nabc\r\n4;x=y\r\ndefg\r\n1\r\nh\r\n0\r\nT: 1\r\nU: 2\r\n\r\n";
        captrack::http::ChunkedProgress progress;
        for (std::size_t size = 0; size < wire.size(); ++size)
        {
            const auto partial = decodeBody(std::string_view(wire).substr(0, size), head, 64, progress);
            CPPUNIT_ASSERT_MESSAGE("prefix of " + std::to_string(size), partial.state == Framing::Incomplete);
            CPPUNIT_ASSERT(progress.wireOffset <= size);
        }
        CPPUNIT_ASSERT_EQUAL(std::string("abcdefgh"), progress.body);
        // The trailer lines are behind the progress too: only the final empty line is left to read.
        CPPUNIT_ASSERT_EQUAL(wire.size() - 2, progress.wireOffset);
        const auto whole = decodeBody(wire + "NEXT", head, 64, progress);
        CPPUNIT_ASSERT(whole.state == Framing::Complete);
        CPPUNIT_ASSERT_EQUAL(std::string("abcdefgh"), whole.body);
        CPPUNIT_ASSERT_EQUAL(wire.size(), whole.consumed);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(RequestFramerTest);
