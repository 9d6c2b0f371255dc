#pragma once

#include <Poco/Net/HTTPServer.h>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace captrack::test
{

/// One request a WebhookReceiver took.
struct ReceivedHook
{
    std::string path;
    std::map<std::string, std::string> headers; ///< names lower-cased
    std::string body;
    int answered = 0; ///< the status it was answered with
};

/// A local HTTP endpoint for webhook tests: a Poco HTTPServer on 127.0.0.1, port 0, that keeps every
/// request it receives and answers each with the next status of a script (then 200). Thread-safe.
class WebhookReceiver
{
public:
    WebhookReceiver();
    ~WebhookReceiver();
    WebhookReceiver(const WebhookReceiver&) = delete;
    WebhookReceiver& operator=(const WebhookReceiver&) = delete;

    /// The next requests are answered with these statuses, in order; after them, 200.
    void answerWith(std::vector<int> statuses);
    [[nodiscard]] std::vector<ReceivedHook> received() const;
    /// http://127.0.0.1:<port><path>
    [[nodiscard]] std::string url(const std::string& path = "/hook") const;

    /// Takes a request (the handler's side).
    int take(ReceivedHook hook);

private:
    mutable std::mutex _mutex;
    std::deque<int> _script;
    std::vector<ReceivedHook> _received;
    std::unique_ptr<Poco::Net::HTTPServer> _pServer;
};

} // namespace captrack::test
