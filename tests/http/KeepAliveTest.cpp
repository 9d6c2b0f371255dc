#include "TestDatabase.h"
#include "captrack/app/ApiServer.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <cppunit/extensions/HelperMacros.h>

#include <memory>
#include <vector>

using namespace captrack;

/// The server must serve 64 keep-alive clients at once: Poco holds a thread per keep-alive
/// connection, so too few threads leave later connections accepted but never answered.
class KeepAliveTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(KeepAliveTest);
    CPPUNIT_TEST(testSixtyFourKeepAliveClientsAreAllServed);
    CPPUNIT_TEST_SUITE_END();

public:
    void testSixtyFourKeepAliveClientsAreAllServed()
    {
        test::TestDatabase db(true);
        domain::SystemClock clock;
        app::ServerOptions options; // the defaults `captrack serve` uses
        options.http.port = 0;
        options.auth.secret = std::string(64, 's');
        options.auth.pbkdf2Iterations = 1000;
        app::ApiServer server(db.database(), clock, options);
        server.start();

        std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> clients;
        for (int round = 0; round < 2; ++round)
        {
            for (int i = 0; i < 64; ++i)
            {
                if (round == 0)
                {
                    clients.push_back(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", server.port()));
                    clients.back()->setKeepAlive(true);
                    clients.back()->setTimeout(Poco::Timespan(5, 0));
                }
                auto& client = *clients[static_cast<std::size_t>(i)];
                Poco::Net::HTTPRequest request("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
                request.setKeepAlive(true);
                client.sendRequest(request);
                Poco::Net::HTTPResponse response;
                std::string body;
                Poco::StreamCopier::copyToString(client.receiveResponse(response), body);
                CPPUNIT_ASSERT_EQUAL_MESSAGE("client " + std::to_string(i), 200,
                                             static_cast<int>(response.getStatus()));
                CPPUNIT_ASSERT(response.getKeepAlive());
                CPPUNIT_ASSERT_EQUAL(static_cast<std::streamsize>(body.size()),
                                     static_cast<std::streamsize>(response.getContentLength64()));
            }
        }
        CPPUNIT_ASSERT_EQUAL(std::size_t(64), clients.size());
        clients.clear();
        server.stop();
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(KeepAliveTest);
