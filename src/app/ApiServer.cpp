#include "captrack/app/ApiServer.h"

#include "captrack/http/AuthApi.h"
#include "captrack/http/CalendarApi.h"
#include "captrack/http/CoreApi.h"
#include "captrack/http/LeadApi.h"
#include "captrack/http/MetaApi.h"
#include "captrack/http/OpenApi.h"
#include "captrack/http/ReportApi.h"
#include "captrack/http/StaticFiles.h"
#include "captrack/http/WebhookApi.h"

namespace captrack::app
{

ApiServer::ApiServer(storage::Database& database, const domain::Clock& clock, const ServerOptions& options)
    : _database(database), _options(options), _resources(database, clock, options.thresholds),
      _baselines(database, clock, options.thresholds), _auth(database, clock, _resources, options.auth),
      _audit(database), _reports(database, clock, options.thresholds, options.reports),
      _schedule(database, clock, options.thresholds), _worklist(database, clock, options.worklist),
      _importer(database, _resources), _calendarFeeds(database, clock), _calendar(database),
      _resolver(_auth.authenticator()), _dispatcher(_router, _resolver, &_requestMetrics),
      _housekeeping(database, clock), _webhookDeliveries(database, clock, options.webhooks),
      _webhookWorker(_webhookDeliveries), _transport(_dispatcher, options.http)
{
    http::addCoreApi(_router, _database, _resources, _baselines);
    http::addAuthApi(_router, _auth, _resources, _audit);
    http::addReportApi(_router, _reports, _schedule);
    http::addLeadApi(_router, _worklist);
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
}

ApiServer::~ApiServer()
{
    stop();
}

void ApiServer::start()
{
    _transport.start();
    _housekeeping.start();
    if (_options.webhooks.deliver)
        _webhookWorker.start();
}

void ApiServer::stop()
{
    _housekeeping.stop();
    _webhookWorker.stop();
    _transport.stop();
}

Poco::UInt16 ApiServer::port() const
{
    return _transport.port();
}

} // namespace captrack::app
