#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/service/LeadDigest.h"
#include "captrack/service/MailDelivery.h"
#include "captrack/service/MailOptions.h"
#include "captrack/storage/Database.h"

#include <Poco/Event.h>
#include <Poco/Thread.h>

#include <memory>

namespace captrack::app
{

/// The server's mail worker (docs/OPERATING-mail.md): a thread of its own that, every pollSeconds,
/// queues the current period's lead digests when the period is new to it (the outbox's UNIQUE key
/// keeps it to one digest per lead and period across servers and restarts) and sends what is due
/// (service::MailDelivery). Never on a request's thread; a database or relay fault is logged and tried
/// again at the next poll. start() and stop() from one thread; stop() wakes the thread at once and
/// waits for at most the SMTP exchange in progress (bounded by mail.smtp.timeout_seconds).
class Mailer
{
public:
    Mailer(storage::Database& database, const domain::Clock& clock, const service::LeadWorklist& worklist,
           const service::MailOptions& options);
    ~Mailer();
    Mailer(const Mailer&) = delete;
    Mailer& operator=(const Mailer&) = delete;

    void start();
    void stop();
    /// One poll: queue the period's digests if not yet done by this instance, then send what is due.
    void runOnce();

private:
    void run();

    const domain::Clock& _clock;
    service::MailOptions _options;
    service::LeadDigest _digests;
    std::unique_ptr<service::MailRelay> _pRelay;
    service::MailDelivery _delivery;
    Poco::Int64 _queuedPeriod = -1; ///< the last period whose digests this instance queued
    Poco::Event _wake;
    std::atomic<bool> _stopping{false};
    Poco::Thread _thread;
};

} // namespace captrack::app
