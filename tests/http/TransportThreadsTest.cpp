#include "captrack/http/HttpTransport.h"

#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

using captrack::http::ApiResponse;
using captrack::http::HeadVerdict;
using captrack::http::HttpTransport;
using captrack::http::RequestHead;
using captrack::http::TransportOptions;

namespace
{
/// Answers every request with its target; `/slow` waits behind a gate the test opens. Counts the heads
/// it inspected and the requests it began.
class EchoResponder : public captrack::http::RequestResponder
{
public:
    HeadVerdict inspect(const RequestHead&) const override
    {
        std::lock_guard<std::mutex> lock(_mutex);
        ++_heads;
        _changed.notify_all();
        return {};
    }
    ApiResponse respond(const RequestHead& head, std::string, const Poco::Net::SocketAddress&) const override
    {
        std::unique_lock<std::mutex> lock(_mutex);
        ++_begun;
        _changed.notify_all();
        _changed.wait(lock, [&] { return _open || head.target != "/slow"; });
        ApiResponse response;
        response.contentType = "text/plain";
        response.body = head.target;
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

void send(Poco::Net::StreamSocket& socket, const std::string& bytes)
{
    for (std::size_t sent = 0; sent < bytes.size();)
        sent += static_cast<std::size_t>(
            socket.sendBytes(bytes.data() + sent, static_cast<int>(std::min<std::size_t>(bytes.size() - sent, 65536))));
}

/// Everything the server sent until it closed the connection; fails if it does not close.
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
    return bytes;
}

/// The body of the next whole response on a connection kept open (`pending` keeps what came after it).
std::string nextBody(Poco::Net::StreamSocket& socket, std::string& pending)
{
    char buffer[16384];
    for (;;)
    {
        const auto end = pending.find("\r\n\r\n");
        if (end != std::string::npos)
        {
            const auto at = pending.find("Content-Length: ");
            CPPUNIT_ASSERT(at != std::string::npos && at < end);
            const auto length = std::stoul(pending.substr(at + 16));
            if (pending.size() >= end + 4 + length)
            {
                CPPUNIT_ASSERT_EQUAL_MESSAGE(pending.substr(0, 100), std::string("HTTP/1.1 200"),
                                             pending.substr(0, 12));
                std::string body = pending.substr(end + 4, length);
                pending.erase(0, end + 4 + length);
                return body;
            }
        }
        const int got = socket.receiveBytes(buffer, sizeof buffer);
        CPPUNIT_ASSERT_MESSAGE("closed before a whole response", got > 0);
        pending.append(buffer, static_cast<std::size_t>(got));
    }
}
} // namespace

/// How HttpTransport's threads share its connections (docs/HTTP.md "How the transport's threads share
/// the work"): while every worker runs a handler, requests still arrive, are refused and time out, and
/// whole ones wait for the next free worker; many connections at once each get their answers in order.
class TransportThreadsTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TransportThreadsTest);
    CPPUNIT_TEST(testRequestsAreReadWhileEveryWorkerIsBusy);
    CPPUNIT_TEST(testParkedWorkersAreCalledUponThenTheEventThreadReads);
    CPPUNIT_TEST(testManyConnectionsGetTheirPipelinedAnswersInOrder);
    CPPUNIT_TEST_SUITE_END();

public:
    void setUp() override { _pResponder = std::make_unique<EchoResponder>(); }
    void tearDown() override
    {
        _pResponder->open(); // a handler a test left waiting returns, so the transport can join its workers
        _pTransport.reset();
        _pResponder.reset();
    }

    void testRequestsAreReadWhileEveryWorkerIsBusy() { checkRequestsAreReadWhileEveryWorkerIsBusy(1); }

    /// More workers than processors: some park until the event thread sends them to the sockets.
    void testParkedWorkersAreCalledUponThenTheEventThreadReads() { checkRequestsAreReadWhileEveryWorkerIsBusy(8); }

    void testManyConnectionsGetTheirPipelinedAnswersInOrder()
    {
        constexpr int CONNECTIONS = 32;
        constexpr int REQUESTS = 50;
        auto& transport = start(4);
        std::vector<Poco::Net::StreamSocket> clients;
        for (int c = 0; c < CONNECTIONS; ++c)
        {
            clients.push_back(connectTo(transport.port()));
            std::string requests;
            for (int r = 0; r < REQUESTS; ++r)
                requests += "GET /" + std::to_string(c) + "/" + std::to_string(r) + " HTTP/1.1\r\nHost: x\r\n\r\n";
            send(clients.back(), requests);
        }
        for (int c = 0; c < CONNECTIONS; ++c)
        {
            std::string pending;
            for (int r = 0; r < REQUESTS; ++r)
                CPPUNIT_ASSERT_EQUAL("/" + std::to_string(c) + "/" + std::to_string(r),
                                     nextBody(clients[static_cast<std::size_t>(c)], pending));
        }
    }

private:
    void checkRequestsAreReadWhileEveryWorkerIsBusy(int workers)
    {
        auto& transport = start(workers, Poco::Timespan(0, 300 * 1000));
        std::vector<Poco::Net::StreamSocket> busy;
        for (int i = 0; i < workers; ++i)
        {
            busy.push_back(connectTo(transport.port()));
            send(busy.back(), "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        _pResponder->waitForBegun(workers); // every worker now waits in the handler

        auto malformed = connectTo(transport.port());
        send(malformed, "GET /x HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n");
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 400"), readUntilClosed(malformed).substr(0, 12));
        auto slow = connectTo(transport.port());
        send(slow, "GET /sl");
        CPPUNIT_ASSERT_EQUAL(std::string("HTTP/1.1 408"), readUntilClosed(slow).substr(0, 12));
        auto queued = connectTo(transport.port());
        send(queued, "GET /queued HTTP/1.1\r\nHost: x\r\n\r\n");
        _pResponder->waitForHeads(workers + 1); // framed and inspected, though no worker is free

        _pResponder->open();
        for (auto& socket : busy)
        {
            std::string pending;
            CPPUNIT_ASSERT_EQUAL(std::string("/slow"), nextBody(socket, pending));
        }
        std::string pending;
        CPPUNIT_ASSERT_EQUAL(std::string("/queued"), nextBody(queued, pending));
    }

    HttpTransport& start(int workers, Poco::Timespan requestDeadline = Poco::Timespan(5, 0))
    {
        TransportOptions options;
        options.port = 0;
        options.workers = workers;
        options.requestDeadline = requestDeadline;
        _pTransport = std::make_unique<HttpTransport>(*_pResponder, options);
        _pTransport->start();
        return *_pTransport;
    }

    std::unique_ptr<EchoResponder> _pResponder;
    std::unique_ptr<HttpTransport> _pTransport;
};

CPPUNIT_TEST_SUITE_REGISTRATION(TransportThreadsTest);
