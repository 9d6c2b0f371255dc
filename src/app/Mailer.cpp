#include "captrack/app/Mailer.h"

#include "captrack/service/DigestSchedule.h"
#include "captrack/storage/InstanceName.h"

#include <Poco/Logger.h>

namespace captrack::app
{

Mailer::Mailer(storage::Database& database, const domain::Clock& clock, const service::LeadWorklist& worklist,
               const service::MailOptions& options)
    : _clock(clock), _options(options), _digests(database, clock, worklist, options.webBaseUrl),
      _pRelay(std::make_unique<service::SmtpRelay>(options.smtp)),
      _delivery(database, clock, *_pRelay, options.retrySeconds, storage::instanceName()), _wake(false),
      _thread("captrack-mail")
{
}

Mailer::~Mailer()
{
    stop();
}

void Mailer::start()
{
    _stopping = false;
    _thread.startFunc([this] { run(); });
}

void Mailer::stop()
{
    _stopping = true;
    _wake.set();
    if (_thread.isRunning())
        _thread.join();
}

void Mailer::runOnce()
{
    auto& log = Poco::Logger::get("captrack.mail");
    const auto period = service::digestPeriodAt(_options.digest, _clock.now());
    if (period.start != _queuedPeriod)
    {
        const std::size_t queued = _digests.queueAll(period);
        _queuedPeriod = period.start;
        if (queued > 0)
            log.information("digests of the period %s: %z queued", period.key, queued);
    }
    (void)_delivery.deliverDue();
}

void Mailer::run()
{
    while (!_stopping)
    {
        try
        {
            runOnce();
        }
        catch (const Poco::Exception& e)
        {
            Poco::Logger::get("captrack.mail").warning("mail round failed, tried again later: " + e.displayText());
        }
        catch (const std::exception& e)
        {
            // Not one of ours or Poco's (std::bad_alloc ...): still no reason for the worker to end for good.
            Poco::Logger::get("captrack.mail").error(std::string("mail round failed, tried again later: ") + e.what());
        }
        (void)_wake.tryWait(_options.pollSeconds * 1000);
    }
}

} // namespace captrack::app
