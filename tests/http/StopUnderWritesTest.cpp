#include "HttpTestServer.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

using captrack::test::HttpTestServer;

namespace
{
/// Clients that PATCH milestones on keep-alive connections until the server stops taking requests,
/// counting the writes acknowledged (200) on each.
class WriteLoad
{
public:
    WriteLoad(Poco::UInt16 port, std::string token) : _port(port), _token(std::move(token)) {}

    /// PATCHes `path` (If-Match its next version) until its connection is closed and a new one refused.
    void patchUntilRefused(const std::string& path)
    {
        Poco::Net::HTTPClientSession session("127.0.0.1", _port);
        session.setKeepAlive(true);
        session.setTimeout(Poco::Timespan(10, 0));
        for (int version = 1;; ++version)
        {
            Poco::Net::HTTPRequest request("PATCH", path, Poco::Net::HTTPMessage::HTTP_1_1);
            request.setKeepAlive(true);
            request.set("Authorization", "Bearer " + _token);
            request.set("If-Match", "\"" + std::to_string(version) + "\"");
            request.setContentType("application/json");
            const std::string body = R"({"progress": )" + std::to_string(version % 100) + "}";
            request.setContentLength(static_cast<std::streamsize>(body.size()));
            Poco::Net::HTTPResponse response;
            std::string answer;
            try
            {
                session.sendRequest(request) << body;
                Poco::StreamCopier::copyToString(session.receiveResponse(response), answer);
            }
            catch (const Poco::Exception&)
            {
                return; // closed by the stop before this request was read, then refused: never acknowledged
            }
            std::lock_guard<std::mutex> lock(_mutex);
            if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
            {
                _failures += path + " v" + std::to_string(version) + ": " + answer + "\n";
                _changed.notify_all();
                return;
            }
            ++_acknowledged[path];
            ++_total;
            _changed.notify_all();
        }
    }
    void waitForAcknowledged(int count)
    {
        std::unique_lock<std::mutex> lock(_mutex);
        CPPUNIT_ASSERT(
            _changed.wait_for(lock, std::chrono::seconds(30), [&] { return _total >= count || !_failures.empty(); }));
    }
    [[nodiscard]] Poco::Int64 acknowledged()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _total;
    }
    [[nodiscard]] Poco::Int64 acknowledgedOf(const std::string& path)
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _acknowledged[path];
    }
    [[nodiscard]] std::string failures()
    {
        std::lock_guard<std::mutex> lock(_mutex);
        return _failures;
    }

private:
    Poco::UInt16 _port;
    std::string _token;
    std::mutex _mutex;
    std::condition_variable _changed;
    std::map<std::string, Poco::Int64> _acknowledged;
    Poco::Int64 _total = 0;
    std::string _failures;
};

} // namespace

/// A graceful stop of the real server (HttpTransport::beginStop) under clients writing on keep-alive
/// connections: every request read is answered, and the database holds exactly the writes
/// acknowledged, checked behind the server's back (IndependentReader). Under the sanitizer suite it
/// also shows that nothing the workers use is destroyed before they finish.
class StopUnderWritesTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(StopUnderWritesTest);
    CPPUNIT_TEST(testWritesAcknowledgedAroundAStopAreStored);
    CPPUNIT_TEST_SUITE_END();

public:
    void testWritesAcknowledgedAroundAStopAreStored()
    {
        HttpTestServer s;
        s.seedReference();
        const auto project = std::to_string(
            s.create("/api/v1/projects", R"({"code": "SPS-2027-001", "title": "T", "kind": "capability"})"));
        std::vector<std::string> milestones;
        for (int i = 0; i < 4; ++i)
            milestones.push_back(std::to_string(s.create("/api/v1/projects/" + project + "/milestones",
                                                         R"({"title": "M", "baseline_date": "2027-05-01"})")));
        const Poco::Int64 historyBefore = s.count("milestone_history");

        WriteLoad load(s.port(), s.token());
        std::vector<std::thread> clients;
        for (const auto& milestone : milestones)
            clients.emplace_back([&load, milestone] { load.patchUntilRefused("/api/v1/milestones/" + milestone); });
        load.waitForAcknowledged(40);
        s.server().transport().beginStop();
        for (auto& client : clients)
            client.join();

        CPPUNIT_ASSERT(s.server().transport().waitStopped(Poco::Timespan(10, 0)));
        CPPUNIT_ASSERT_EQUAL(std::size_t(0), s.server().transport().cutRequests());
        CPPUNIT_ASSERT_EQUAL_MESSAGE(load.failures(), std::string(), load.failures());
        CPPUNIT_ASSERT_EQUAL_MESSAGE("every acknowledged write stored, nothing unacknowledged",
                                     historyBefore + load.acknowledged(), s.count("milestone_history"));
        for (const auto& milestone : milestones)
            CPPUNIT_ASSERT_EQUAL(std::to_string(1 + load.acknowledgedOf("/api/v1/milestones/" + milestone)),
                                 s.scalar("SELECT version FROM milestones WHERE id = " + milestone));
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(StopUnderWritesTest);
