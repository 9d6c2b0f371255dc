#include "WebhookReceiver.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace captrack::test
{

namespace
{
class Handler : public Poco::Net::HTTPRequestHandler
{
public:
    explicit Handler(WebhookReceiver& receiver) : _receiver(receiver) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
    {
        ReceivedHook hook;
        hook.path = request.getURI();
        for (const auto& [name, value] : request)
            hook.headers[Poco::toLower(name)] = value;
        Poco::StreamCopier::copyToString(request.stream(), hook.body);
        const int status = _receiver.take(std::move(hook));
        response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
        const std::string text = status == 200 ? "thanks" : "try again later";
        response.setContentLength(static_cast<std::streamsize>(text.size()));
        response.send() << text;
    }

private:
    WebhookReceiver& _receiver;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory
{
public:
    explicit Factory(WebhookReceiver& receiver) : _receiver(receiver) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override
    {
        return new Handler(_receiver);
    }

private:
    WebhookReceiver& _receiver;
};
} // namespace

WebhookReceiver::WebhookReceiver()
{
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    _pServer = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, new Poco::Net::HTTPServerParams);
    _pServer->start();
}

WebhookReceiver::~WebhookReceiver()
{
    _pServer->stopAll(true);
}

void WebhookReceiver::answerWith(std::vector<int> statuses)
{
    const std::lock_guard<std::mutex> lock(_mutex);
    _script.assign(statuses.begin(), statuses.end());
}

std::vector<ReceivedHook> WebhookReceiver::received() const
{
    const std::lock_guard<std::mutex> lock(_mutex);
    return _received;
}

std::string WebhookReceiver::url(const std::string& path) const
{
    return "http://127.0.0.1:" + std::to_string(_pServer->port()) + path;
}

int WebhookReceiver::take(ReceivedHook hook)
{
    const std::lock_guard<std::mutex> lock(_mutex);
    hook.answered = 200;
    if (!_script.empty())
    {
        hook.answered = _script.front();
        _script.pop_front();
    }
    _received.push_back(hook);
    return hook.answered;
}

} // namespace captrack::test
