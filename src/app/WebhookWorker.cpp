#include "captrack/app/WebhookWorker.h"

#include "captrack/Version.h"

#include <Poco/Logger.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/URI.h>

#include <memory>
#include <sys/socket.h>

namespace captrack::app
{

namespace
{
/// How much of an answer is read: the log keeps 500 bytes of it.
constexpr std::streamsize ANSWER_READ = 4096;
/// Events claimed per round: at most one per endpoint.
constexpr int ROUND_SIZE = 16;

/// TLS for https endpoints: the operating system's CA certificates, the peer verified; a certificate that
/// does not verify fails the attempt (logged as its error).
Poco::Net::Context::Ptr clientContext()
{
    static const Poco::Net::Context::Ptr context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "", Poco::Net::Context::VERIFY_RELAXED, 9,
                               true, "ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH");
    return context;
}

std::unique_ptr<Poco::Net::HTTPClientSession> sessionFor(const Poco::URI& uri)
{
    if (uri.getScheme() == "https")
        return std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), clientContext());
    return std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
}
} // namespace

WebhookWorker::WebhookWorker(const service::WebhookDeliveries& deliveries) : _deliveries(deliveries)
{
    Poco::Net::initializeSSL();
}

WebhookWorker::~WebhookWorker()
{
    stop();
    Poco::Net::uninitializeSSL();
}

std::size_t WebhookWorker::runOnce()
{
    std::size_t attempts = 0;
    while (!_stopping)
    {
        const auto jobs = _deliveries.claimDue(ROUND_SIZE);
        if (jobs.empty())
            break;
        for (const auto& job : jobs)
        {
            const auto [status, response] = send(job);
            _deliveries.record(job, status, response);
            ++attempts;
        }
    }
    return attempts;
}

void WebhookWorker::start()
{
    _stopping = false;
    _thread.startFunc([this] { run(); });
}

void WebhookWorker::stop()
{
    _stopping = true;
    _wake.set();
    {
        const std::lock_guard<std::mutex> lock(_inFlight);
        // shutdown(2) on the descriptor only, which is safe while the worker is inside recv (or TLS over
        // it): the worker wakes to a closed connection and closes the socket itself. HTTPSession::abort()
        // would close the descriptor under it. Not yet connected: the attempt ends at its connect timeout.
        const poco_socket_t fd = _pCurrent ? _pCurrent->socket().impl()->sockfd() : POCO_INVALID_SOCKET;
        if (fd != POCO_INVALID_SOCKET)
            ::shutdown(fd, SHUT_RDWR);
    }
    if (_thread.isRunning())
        _thread.join();
}

void WebhookWorker::run()
{
    auto& log = Poco::Logger::get("captrack.webhooks");
    while (!_stopping)
    {
        try
        {
            if (const std::size_t attempts = runOnce(); attempts > 0)
                log.debug("%z webhook attempts", attempts);
        }
        catch (const Poco::Exception& e)
        {
            // The database unreachable or busy: the events stay in the outbox for the next look.
            log.warning("webhook deliveries not run: " + e.displayText());
        }
        (void)_wake.tryWait(_deliveries.options().pollMs);
    }
}

std::pair<std::optional<int>, std::string> WebhookWorker::send(const storage::WebhookDeliveryJob& job)
{
    try
    {
        const Poco::URI uri(job.url);
        auto pSession = sessionFor(uri);
        const Poco::Timespan timeout(_deliveries.options().timeoutMs * 1000);
        pSession->setTimeout(timeout, timeout, timeout);
        {
            const std::lock_guard<std::mutex> lock(_inFlight);
            if (_stopping)
                return {std::nullopt, "the server stopped"};
            _pCurrent = pSession.get();
        }
        struct Release
        {
            WebhookWorker& worker;
            ~Release()
            {
                const std::lock_guard<std::mutex> lock(worker._inFlight);
                worker._pCurrent = nullptr;
            }
        } release{*this};

        const std::string body = service::Webhooks::body(job);
        const std::string timestamp = std::to_string(_deliveries.clock().now().epochTime());
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST,
                                       uri.getPathEtc().empty() ? "/" : uri.getPathEtc(),
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        request.set("User-Agent", std::string("captrack/") + captrack::VERSION);
        request.set("X-Captrack-Event", job.event);
        request.set("X-Captrack-Delivery", std::to_string(job.id));
        request.set("X-Captrack-Timestamp", timestamp);
        request.set("X-Captrack-Signature", service::Webhooks::signature(job.secret, timestamp, body));
        pSession->sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = pSession->receiveResponse(response);
        std::string answer(static_cast<std::size_t>(ANSWER_READ), '\0');
        in.read(answer.data(), ANSWER_READ);
        answer.resize(static_cast<std::size_t>(in.gcount()));
        return {static_cast<int>(response.getStatus()), answer};
    }
    catch (const Poco::Exception& e)
    {
        return {std::nullopt, e.displayText()};
    }
    catch (const std::exception& e)
    {
        return {std::nullopt, e.what()};
    }
}

} // namespace captrack::app
