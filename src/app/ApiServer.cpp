#include "captrack/app/ApiServer.h"

#include "captrack/app/SnapshotNews.h"

#include "captrack/http/AuthApi.h"
#include "captrack/http/CalendarApi.h"
#include "captrack/http/CoreApi.h"
#include "captrack/http/LeadApi.h"
#include "captrack/http/MailApi.h"
#include "captrack/http/MetaApi.h"
#include "captrack/http/OpenApi.h"
#include "captrack/http/ReportApi.h"
#include "captrack/http/SnapshotApi.h"
#include "captrack/http/StaticFiles.h"
#include "captrack/http/WebhookApi.h"

namespace captrack::app
{

ApiServer::ApiServer(storage::Database& database, const domain::Clock& clock, const ServerOptions& options)
    : _database(database), _options(options), _resources(database, clock, options.thresholds),
      _baselines(database, clock, options.thresholds), _auth(database, clock, _resources, options.auth),
      _audit(database), _reports(database, clock, options.thresholds, options.reports),
      _snapshots(database, clock, _reports), _snapshotSchedule(_snapshots, clock, options.snapshotSchedule),
      _schedule(database, clock, options.thresholds), _worklist(database, clock, options.worklist),
      _reminders(_resources, options.mail, options.worklist.lookAheadDays), _outbox(database, clock),
      _importer(database, _resources), _calendarFeeds(database, clock), _calendar(database),
      _resolver(_auth.authenticator()), _dispatcher(_router, _resolver, &_requestMetrics),
      _housekeeping(database, clock), _mailOutbox(clock, options.mail.enabled()),
      _webhookDeliveries(database, clock, options.webhooks), _webhookWorker(_webhookDeliveries),
      _transport(_dispatcher, options.http)
{
    http::addCoreApi(_router, _database, _resources, _baselines);
    http::addAuthApi(_router, _auth, _resources, _audit);
    http::addReportApi(_router, _reports, _schedule);
    _snapshots.onPublished(mailToReviewers(_mailOutbox, options.mail.webBaseUrl));
    _snapshots.onPublished(snapshotWebhook());
    http::addSnapshotApi(_router, _snapshots, _reports);
    http::addChangesApi(_router, _snapshots);
    http::addLeadApi(_router, _worklist);
    http::addMailApi(_router, _reminders, _outbox);
    http::addImportApi(_router, _importer);
    http::addCalendarApi(_router, _calendarFeeds, _calendar, clock);
    http::addWebhookApi(_router, _resources, _webhookDeliveries);
    http::addMetaApi(_router);
    http::addMetricsApi(_router, _requestMetrics, _database, options.metrics);
    http::addStaticFiles(_router);
    http::addOpenApiRoute(_router);   // after every other route: the document describes them all
    _requestMetrics.sizeFor(_router); // after the last route
    _housekeeping.add("expired sign-in failures", [this] { return _auth.throttle().purgeExpired(); });
    _housekeeping.add("expired report permits", [this] { return _reports.purgeExpiredPermits(); });
    if (options.snapshotSchedule.every != report::SnapshotScheduleOptions::Every::Never)
        _housekeeping.add("scheduled report snapshot", [this] {
            (void)_snapshotSchedule.publishIfDue(); // logs what it published
            return std::size_t(0);
        });
    _housekeeping.add("mail sent more than 90 days ago", [this] { return _outbox.purgeOldSent(); });
    if (options.mail.enabled())
        _pMailer = std::make_unique<Mailer>(database, clock, _worklist, options.mail);
}

ApiServer::~ApiServer()
{
    stop();
}

void ApiServer::start()
{
    _transport.start();
    _housekeeping.start();
    if (_pMailer)
        _pMailer->start();
    if (_options.webhooks.deliver)
        _webhookWorker.start();
}

void ApiServer::stop()
{
    _housekeeping.stop();
    if (_pMailer)
        _pMailer->stop();
    _webhookWorker.stop();
    _transport.stop();
}

Poco::UInt16 ApiServer::port() const
{
    return _transport.port();
}

} // namespace captrack::app
