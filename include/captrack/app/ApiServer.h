#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/http/AuthApi.h"
#include "captrack/http/Router.h"
#include "captrack/report/ReportService.h"
#include "captrack/report/ScheduleAnalysis.h"
#include "captrack/service/AuditReader.h"
#include "captrack/service/AuthService.h"
#include "captrack/service/BaselineService.h"
#include "captrack/service/ResourceService.h"
#include "captrack/storage/Database.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/ThreadPool.h>

#include <memory>
#include <string>

namespace captrack::app
{

/// How the HTTP server listens.
struct ServerOptions
{
    std::string address = "127.0.0.1";
    Poco::UInt16 port = 8080; ///< 0 picks a free port (tests)
    int threads = 128;        ///< one per keep-alive connection served at once
    int queue = 256;          ///< connections accepted and waiting for a thread
    service::AuthOptions auth;
    domain::HealthThresholds thresholds;
    report::ReportLimits reports; ///< report builds at once (reports.max_concurrent)
};

/// The HTTP API over one database: owns the services, the router and Poco's HTTPServer.
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
    /// Stops accepting, lets in-flight requests finish, then returns.
    void stop();
    /// The bound port (useful with port 0).
    [[nodiscard]] Poco::UInt16 port() const;
    [[nodiscard]] const http::Router& router() const { return _router; }
    [[nodiscard]] service::AuthService& auth() { return _auth; }
    [[nodiscard]] const report::ReportService& reports() const { return _reports; }

private:
    storage::Database& _database;
    ServerOptions _options;
    service::ResourceService _resources;
    service::BaselineService _baselines;
    service::AuthService _auth;
    service::AuditReader _audit;
    report::ReportService _reports;
    report::ScheduleAnalysis _schedule;
    http::BearerResolver _resolver;
    http::Router _router;
    std::unique_ptr<Poco::ThreadPool> _pThreads;
    std::unique_ptr<Poco::Net::HTTPServer> _pServer;
};

} // namespace captrack::app
