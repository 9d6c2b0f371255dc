#include "captrack/http/HttpTransport.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

using captrack::http::ApiResponse;
using captrack::http::HeadVerdict;
using captrack::http::HttpTransport;
using captrack::http::RequestHead;
using captrack::http::TransportOptions;

namespace
{
const std::string GET = "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n";
constexpr std::size_t BODY_BYTES = 256 << 10; ///< more than one socket write, so a whole body means something

/// A responder whose answers (but that to `/fast`) wait behind a gate the test opens; it counts the
/// heads it inspected and the requests it began, and lets the test wait for either.
class GatedResponder : public captrack::http::RequestResponder
{
public:
    HeadVerdict inspect(const RequestHead&) const override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        ++_heads;
        _changed.notify_all();
        return {};
    }
    ApiResponse respond(const RequestHead& head, std::string body, const Poco::Net::SocketAddress&) const override
    {
        std::unique_lock<std::mutex> lock(_mutex);
        ++_begun;
        _changed.notify_all();
        _changed.wait(lock, [&] { return _open || head.target == "/fast"; });
        ApiResponse response;
        response.contentType = "text/plain";
        response.body = head.target + " " + body + " " + std::string(BODY_BYTES, 'x');
        return response;
    }
    void open()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _open = true;
        _changed.notify_all();
    }
    void waitForHeads(int count) const { waitFor(_heads, count); }
    void waitForBegun(int count) const { waitFor(_begun, count); }
    [[nodiscard]] int begun() const
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _begun;
    }

private:
    void waitFor(const int& counter, int count) const
    {
        std::unique_lock<std::mutex> lock(_mutex);
        CPPUNIT_ASSERT(_changed.wait_for(lock, std::chrono::seconds(10), [&] { return counter >= count; }));
    }

    mutable std::mutex _mutex;
    mutable std::condition_variable _changed;
    mutable int _heads = 0;
    mutable int _begun = 0;
    bool _open = false;
};

Poco::Net::StreamSocket connectTo(Poco::UInt16 port)
{
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
    socket.setReceiveTimeout(Poco::Timespan(10, 0));
    return socket;
}

/// Everything the server sent until it closed the connection, which is then closed on this side too (as
/// a client does after `Connection: close`; the server lingers until then); fails if it does not close.
std::string readUntilClosed(Poco::Net::StreamSocket& socket)
{
    std::string bytes;
    char buffer[16384];
    try
    {
        for (int got; (got = socket.receiveBytes(buffer, sizeof buffer)) > 0;)
            bytes.append(buffer, static_cast<std::size_t>(got));
    }
    catch (const Poco::Net::ConnectionResetException&)
    {
    }
    catch (const Poco::TimeoutException&)
    {
        CPPUNIT_FAIL("the server did not close the connection; it sent: " + bytes.substr(0, 200));
    }
    socket.close();
    return bytes;
}

/// One whole response (head and Content-Length body) from a connection kept open.
std::string readOneResponse(Poco::Net::StreamSocket& socket)
{
    std::string bytes;
    char buffer[16384];
    for (;;)
    {
        const auto end = bytes.find("\r\n\r\n");
        if (end != std::string::npos)
        {
            const auto at = bytes.find("Content-Length: ");
            CPPUNIT_ASSERT(at != std::string::npos && at < end);
            if (bytes.size() >= end + 4 + std::stoul(bytes.substr(at + 16)))
                return bytes;
        }
        const int got = socket.receiveBytes(buffer, sizeof buffer);
        CPPUNIT_ASSERT_MESSAGE("closed before a whole response", got > 0);
        bytes.append(buffer, static_cast<std::size_t>(got));
    }
}

int countAnswers(const std::string& bytes)
{
    int count = 0;
    for (auto at = bytes.find("HTTP/1.1 "); at != std::string::npos; at = bytes.find("HTTP/1.1 ", at + 1))
        ++count;
    return count;
}

/// A whole 200 with `Connection: close` and the gated responder's full body for `target` and `body`.
void assertWholeClosingAnswer(const std::string& bytes, const std::string& target, const std::string& body = "")
{
    CPPUNIT_ASSERT_EQUAL_MESSAGE(bytes.substr(0, 200), 1, countAnswers(bytes));
    CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 200"), bytes.substr(0, 12));
    CPPUNIT_ASSERT(bytes.find("\r\nConnection: close\r\n") != std::string::npos);
    const auto answer = bytes.substr(bytes.find("\r\n\r\n") + 4);
    const std::string echo = target + " " + body + " ";
    CPPUNIT_ASSERT_EQUAL(echo.size() + BODY_BYTES, answer.size());
    CPPUNIT_ASSERT_EQUAL(echo, answer.substr(0, echo.size()));
}

bool connectIsRefused(Poco::UInt16 port)
{
    try
    {
        connectTo(port);
        return false;
    }
    catch (const Poco::Net::ConnectionRefusedException&)
    {
        return true;
    }
}
} // namespace

/// HttpTransport's graceful stop (docs/HTTP.md "Stopping"), driven in-process through real sockets:
/// new connects refused at once, idle connections closed at once, every request received or begun
/// answered in full with `Connection: close`, nothing new answered, a grace that runs out cuts.
class GracefulStopTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(GracefulStopTest);
    CPPUNIT_TEST(testRequestInFlightIsAnsweredWhileNewConnectsAreRefused);
    CPPUNIT_TEST(testIdleKeepAliveConnectionClosesAtOnce);
    CPPUNIT_TEST(testQueuedAndHalfReceivedRequestsAreAnswered);
    CPPUNIT_TEST(testNothingAfterTheRequestInFlightIsAnswered);
    CPPUNIT_TEST(testGraceRunningOutCutsTheRequest);
    CPPUNIT_TEST(testEndingTheGraceCutsAtOnce);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _pGate = std::make_unique<GatedResponder>(); }
    void tearDown() override
    {
        _pGate->open(); // a handler a test left waiting returns, so the transport can join its workers
        _pTransport.reset();
        _pGate.reset();
    }

    void testRequestInFlightIsAnsweredWhileNewConnectsAreRefused()
    {
        auto& transport = start();
        const auto port = transport.port();
        auto client = connectTo(port);
        client.sendBytes(GET.data(), static_cast<int>(GET.size()));
        _pGate->waitForBegun(1);

        transport.beginStop();
        CPPUNIT_ASSERT_MESSAGE("a new connect is refused once beginStop returns", connectIsRefused(port));
        CPPUNIT_ASSERT(!transport.waitStopped(Poco::Timespan(0)));
        _pGate->open();
        assertWholeClosingAnswer(readUntilClosed(client), "/slow");
        CPPUNIT_ASSERT(transport.waitStopped(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), transport.cutRequests());
        transport.stop();
    }

    void testIdleKeepAliveConnectionClosesAtOnce()
    {
        auto& transport = start();
        auto idle = connectTo(transport.port());
        const std::string fast = "GET /fast HTTP/1.1\r\nHost: x\r\n\r\n";
        idle.sendBytes(fast.data(), static_cast<int>(fast.size()));
        CPPUNIT_ASSERT(readOneResponse(idle).find("Connection: close") == std::string::npos);
        auto busy = connectTo(transport.port());
        busy.sendBytes(GET.data(), static_cast<int>(GET.size()));
        _pGate->waitForBegun(2);

        transport.beginStop();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("closed without a word", std::string(), readUntilClosed(idle));
        CPPUNIT_ASSERT_MESSAGE("closed at once, not at the end of the stop", !transport.waitStopped(Poco::Timespan(0)));
        _pGate->open();
        assertWholeClosingAnswer(readUntilClosed(busy), "/slow");
        CPPUNIT_ASSERT(transport.waitStopped(Poco::Timespan(10, 0)));
    }

    void testQueuedAndHalfReceivedRequestsAreAnswered()
    {
        auto& transport = start(1);
        auto first = connectTo(transport.port());
        first.sendBytes(GET.data(), static_cast<int>(GET.size()));
        _pGate->waitForBegun(1);
        auto queued = connectTo(transport.port());
        const std::string second = "GET /queued HTTP/1.1\r\nHost: x\r\n\r\n";
        queued.sendBytes(second.data(), static_cast<int>(second.size()));
        auto half = connectTo(transport.port());
        const std::string post = "POST /half HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234";
        half.sendBytes(post.data(), static_cast<int>(post.size()));
        _pGate->waitForHeads(3); // the queued request is a job once its head is inspected (it has no body)

        transport.beginStop();
        half.sendBytes("56789", 5);
        _pGate->open();
        assertWholeClosingAnswer(readUntilClosed(first), "/slow");
        assertWholeClosingAnswer(readUntilClosed(queued), "/queued");
        assertWholeClosingAnswer(readUntilClosed(half), "/half", "0123456789");
        CPPUNIT_ASSERT(transport.waitStopped(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), transport.cutRequests());
    }

    void testNothingAfterTheRequestInFlightIsAnswered()
    {
        auto& transport = start();
        auto client = connectTo(transport.port());
        const std::string pipelined = GET + "GET /after HTTP/1.1\r\nHost: x\r\n\r\n";
        client.sendBytes(pipelined.data(), static_cast<int>(pipelined.size()));
        _pGate->waitForBegun(1);
        transport.beginStop();
        _pGate->open();
        assertWholeClosingAnswer(readUntilClosed(client), "/slow");
        CPPUNIT_ASSERT(transport.waitStopped(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(1, _pGate->begun());
    }

    void testGraceRunningOutCutsTheRequest()
    {
        auto& transport = start(4, Poco::Timespan(0, 50 * 1000));
        auto client = connectTo(transport.port());
        client.sendBytes(GET.data(), static_cast<int>(GET.size()));
        _pGate->waitForBegun(1);
        transport.beginStop();
        CPPUNIT_ASSERT_EQUAL_MESSAGE("cut: closed without an answer", std::string(), readUntilClosed(client));
        CPPUNIT_ASSERT(transport.waitStopped(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), transport.cutRequests());
        _pGate->open(); // the handler still runs after the cut; stop() waits for it
        transport.stop();
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), transport.cutRequests());
    }

    void testEndingTheGraceCutsAtOnce()
    {
        auto& transport = start(4, Poco::Timespan(3600, 0));
        auto client = connectTo(transport.port());
        client.sendBytes(GET.data(), static_cast<int>(GET.size()));
        _pGate->waitForBegun(1);
        transport.beginStop();
        CPPUNIT_ASSERT(!transport.waitStopped(Poco::Timespan(0)));
        transport.endGrace();
        CPPUNIT_ASSERT_EQUAL(std::string(), readUntilClosed(client));
        CPPUNIT_ASSERT(transport.waitStopped(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(1), transport.cutRequests());
    }

private:
    HttpTransport& start(int workers = 4, Poco::Timespan grace = Poco::Timespan(30, 0))
    {
        TransportOptions options;
        options.port = 0;
        options.workers = workers;
        options.shutdownGrace = grace;
        _pTransport = std::make_unique<HttpTransport>(*_pGate, options);
        _pTransport->start();
        return *_pTransport;
    }

    std::unique_ptr<GatedResponder> _pGate;
    std::unique_ptr<HttpTransport> _pTransport;
};

CPPUNIT_TEST_SUITE_REGISTRATION(GracefulStopTest);
