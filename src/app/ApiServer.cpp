#include "captrack/app/ApiServer.h"

#include "captrack/http/CoreApi.h"
#include "captrack/http/ReportApi.h"
#include "captrack/http/RequestHandlerFactory.h"
#include "captrack/http/StaticFiles.h"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

namespace captrack::app
{

ApiServer::ApiServer(storage::Database& database, const domain::Clock& clock, const ServerOptions& options)
    : _database(database), _options(options), _resources(database, clock), _baselines(database, clock),
      _auth(database, clock, _resources, options.auth), _audit(database),
      _reports(database, clock, options.thresholds, options.reports), _schedule(database, clock, options.thresholds),
      _resolver(_auth)
{
    http::addCoreApi(_router, _database, _resources, _baselines);
    http::addAuthApi(_router, _auth, _resources, _audit);
    http::addReportApi(_router, _reports, _schedule);
    http::addStaticFiles(_router);
}

ApiServer::~ApiServer()
{
    stop();
}

void ApiServer::start()
{
    Poco::Net::ServerSocket socket;
    socket.bind(Poco::Net::SocketAddress(_options.address, _options.port), true);
    socket.listen(_options.queue);
    auto* pParams = new Poco::Net::HTTPServerParams;
    // Each keep-alive connection holds a thread (reference/toolchain.md): size the pool for all of them.
    pParams->setMaxThreads(_options.threads);
    pParams->setMaxQueued(_options.queue);
    pParams->setKeepAlive(true);
    pParams->setKeepAliveTimeout(Poco::Timespan(15, 0));
    pParams->setServerName("captrack");
    _pThreads = std::make_unique<Poco::ThreadPool>(2, _options.threads, 60);
    _pServer = std::make_unique<Poco::Net::HTTPServer>(new http::RequestHandlerFactory(_router, _resolver), *_pThreads,
                                                       socket, pParams);
    _pServer->start();
}

void ApiServer::stop()
{
    if (!_pServer)
        return;
    _pServer->stopAll(false);
    _pThreads->joinAll();
    _pServer.reset();
    _pThreads.reset();
}

Poco::UInt16 ApiServer::port() const
{
    return _pServer ? _pServer->port() : 0;
}

} // namespace captrack::app
