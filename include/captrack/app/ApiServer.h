#pragma once

#include "captrack/app/Housekeeping.h"
#include "captrack/app/Mailer.h"
#include "captrack/app/WebhookWorker.h"
#include "captrack/domain/Clock.h"
#include "captrack/http/ApiDispatcher.h"
#include "captrack/http/BearerResolver.h"
#include "captrack/http/HttpTransport.h"
#include "captrack/http/ImportApi.h"
#include "captrack/http/MetricsApi.h"
#include "captrack/http/RequestMetrics.h"
#include "captrack/http/Router.h"
#include "captrack/report/MilestoneCalendar.h"
#include "captrack/report/ReportService.h"
#include "captrack/report/ScheduleAnalysis.h"
#include "captrack/report/SnapshotSchedule.h"
#include "captrack/report/SnapshotService.h"
#include "captrack/service/AuditReader.h"
#include "captrack/service/AuthOptions.h"
#include "captrack/service/Authentication.h"
#include "captrack/service/BaselineService.h"
#include "captrack/service/CalendarFeeds.h"
#include "captrack/service/LeadWorklist.h"
#include "captrack/service/MailOutbox.h"
#include "captrack/service/OutboxReader.h"
#include "captrack/service/ReminderSettings.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/Database.h"

#include <memory>
#include <string>

namespace captrack::app
{

/// How the HTTP server listens and what it runs.
struct ServerOptions
{
    http::TransportOptions http; ///< address, port (0 picks a free one), workers, deadlines, caps
    service::AuthOptions auth;
    domain::HealthThresholds thresholds;
    report::ReportLimits reports;     ///< report builds at once (reports.max_concurrent)
    service::WorklistWindow worklist; ///< lead.look_ahead_days, lead.stale_days: "needs your update"
    /// metrics.allow, metrics.token: who reads /metrics (by default nobody)
    http::MetricsAccess metrics;
    /// snapshots.schedule*: report snapshots the server publishes itself (by default none)
    report::SnapshotScheduleOptions snapshotSchedule;
    service::MailOptions mail;        ///< mail.*: reminders by e-mail (off without mail.smtp.host)
    service::WebhookOptions webhooks; ///< webhooks.*: retries, timeouts, whether this server sends
};

/// The HTTP API over one database: owns the services, the router and the HTTP transport.
/// start() and stop() are called from one thread; requests are served on the server's threads.
class ApiServer
{
public:
    ApiServer(storage::Database& database, const domain::Clock& clock, const ServerOptions& options);
    ~ApiServer();
    ApiServer(const ApiServer&) = delete;
    ApiServer& operator=(const ApiServer&) = delete;

    /// Binds and starts serving; throws Poco::Net::NetException when the address is taken.
    void start();
    /// Stops accepting, lets in-flight requests finish (HttpTransport::stop), then returns.
    void stop();
    /// The transport, for a graceful stop in steps (HttpTransport::beginStop).
    [[nodiscard]] http::HttpTransport& transport() { return _transport; }
    /// The bound port (useful with port 0).
    [[nodiscard]] Poco::UInt16 port() const;
    [[nodiscard]] const http::Router& router() const { return _router; }
    [[nodiscard]] service::Authentication& auth() { return _auth; }
    [[nodiscard]] const report::ReportService& reports() const { return _reports; }
    [[nodiscard]] const report::SnapshotService& snapshots() const { return _snapshots; }
    [[nodiscard]] const report::SnapshotSchedule& snapshotSchedule() const { return _snapshotSchedule; }
    /// The periodic upkeep (tests run it at once rather than wait for its timer).
    [[nodiscard]] Housekeeping& housekeeping() { return _housekeeping; }
    /// Queues mail (a published snapshot's summary to the reviewers, for instance); sent by the mailer.
    [[nodiscard]] const service::MailOutbox& mailOutbox() const { return _mailOutbox; }
    [[nodiscard]] const service::WebhookDeliveries& webhookDeliveries() const { return _webhookDeliveries; }

private:
    storage::Database& _database;
    ServerOptions _options;
    service::ResourceService _resources;
    service::BaselineService _baselines;
    service::Authentication _auth;
    service::AuditReader _audit;
    report::ReportService _reports;
    report::SnapshotService _snapshots;
    report::SnapshotSchedule _snapshotSchedule;
    report::ScheduleAnalysis _schedule;
    service::LeadWorklist _worklist;
    service::ReminderSettings _reminders;
    service::OutboxReader _outbox;
    service::Importer _importer;
    service::CalendarFeeds _calendarFeeds;
    report::MilestoneCalendar _calendar;
    http::BearerResolver _resolver;
    http::Router _router;
    http::RequestMetrics _requestMetrics;
    http::ApiDispatcher _dispatcher;
    Housekeeping _housekeeping;
    service::MailOutbox _mailOutbox;
    std::unique_ptr<Mailer> _pMailer; ///< only when mail is on
    service::WebhookDeliveries _webhookDeliveries;
    WebhookWorker _webhookWorker;
    /// Last, so that it is destroyed first: its destructor joins the workers before anything they use
    /// (services, router; the Database outlives this object) goes away.
    http::HttpTransport _transport;
};

} // namespace captrack::app
