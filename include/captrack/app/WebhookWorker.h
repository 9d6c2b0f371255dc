#pragma once

#include "captrack/service/Webhooks.h"

#include <Poco/Event.h>
#include <Poco/Thread.h>

#include <atomic>
#include <mutex>
#include <optional>
#include <string>

namespace Poco::Net
{
class HTTPClientSession;
}

namespace captrack::app
{

/// Sends the webhook outbox (service::WebhookDeliveries) from a thread of its own inside the server, so
/// that no request ever waits for an endpoint. Every `webhooks.poll_ms` it claims the events due (one per
/// endpoint, its oldest pending: order per endpoint holds across servers and restarts), POSTs each with
/// the signature headers (docs/HTTP.md "Webhooks") under `webhooks.timeout_ms`, and records the outcome.
/// start() and stop() from one thread; runOnce() from one thread at a time (the worker's, or a test's
/// while the worker is not started).
class WebhookWorker
{
public:
    explicit WebhookWorker(const service::WebhookDeliveries& deliveries);
    ~WebhookWorker();
    WebhookWorker(const WebhookWorker&) = delete;
    WebhookWorker& operator=(const WebhookWorker&) = delete;

    /// Sends every event due now, round after round while the rounds find some (a delivered event makes its
    /// endpoint's next one the head); returns how many attempts it made.
    std::size_t runOnce();
    void start();
    /// Wakes the thread, cuts an attempt waiting for an answer (its event stays pending and is retried),
    /// joins. One still connecting ends at its connect timeout (webhooks.timeout_ms).
    void stop();

private:
    void run();
    /// POSTs the event; the answer's status (none when no answer came) and the start of its body or the error.
    std::pair<std::optional<int>, std::string> send(const storage::WebhookDeliveryJob& job);

    const service::WebhookDeliveries& _deliveries;
    Poco::Thread _thread;
    Poco::Event _wake;
    std::atomic<bool> _stopping{false};
    std::mutex _inFlight;                              ///< guards _pCurrent
    Poco::Net::HTTPClientSession* _pCurrent = nullptr; ///< the attempt stop() cuts
};

} // namespace captrack::app
