// The benchmark's yardstick: a Poco HTTP server that answers every request with a fixed small JSON
// body, configured like captrack's ApiServer (own thread pool of 2..128 threads, 128 max threads,
// queue 256, keep-alive with a 15 s timeout), so that the ratio summary/bare measures what captrack
// adds per request (routing, authentication, the summary's queries and JSON), not the pool settings.
//
//   bare_server PORT     (0 picks a free port) prints "listening on PORT" and serves until SIGINT/SIGTERM.

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/ThreadPool.h>

#include <iostream>
#include <pthread.h>
#include <signal.h>
#include <string>

namespace
{
const std::string BODY = R"({"project_id":1,"computed_health":"green","progress":42})";

class FixedJsonHandler : public Poco::Net::HTTPRequestHandler
{
public:
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        request.stream().ignore(1 << 20);
        response.setContentType("application/json");
        response.setContentLength(static_cast<std::streamsize>(BODY.size()));
        response.send() << BODY;
    }
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        return new FixedJsonHandler; // Poco owns it
    }
};
} // namespace

int main(int argc, char** argv)
{
    // Block the stop signals before any thread starts, so only sigwait below receives them.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);

    const auto port = static_cast<Poco::UInt16>(argc > 1 ? Poco::NumberParser::parseUnsigned(argv[1]) : 0);
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress("127.0.0.1", port), true);
    socket.listen(256);
    auto* pParams = new Poco::Net::HTTPServerParams;
    pParams->setMaxThreads(128);
    pParams->setMaxQueued(256);
    pParams->setKeepAlive(true);
    pParams->setKeepAliveTimeout(Poco::Timespan(15, 0));
    Poco::ThreadPool threads(2, 128, 60);
    Poco::Net::HTTPServer server(new Factory, threads, socket, pParams);
    server.start();
    std::cout << "listening on " << server.port() << std::endl;

    int signal = 0;
    sigwait(&stop, &signal);
    server.stopAll(false);
    threads.joinAll();
    return 0;
}
