#include "captrack/http/HttpTransport.h"

#include "transport/ConnectionTable.h"

#include <Poco/Logger.h>
#include <Poco/Net/ServerSocket.h>

#include <algorithm>
#include <sys/resource.h>

namespace captrack::http
{

namespace
{
constexpr int FILES_KEPT_FOR_THE_REST = 512; ///< the loopback reserve, database sessions, logs, the secret

/// Lets the process hold as many sockets as the hard limit allows (Debian's soft default is 1024) and
/// returns the connection cap that still fits under it, so that accept never runs out of descriptors
/// (an accept failing with EMFILE would leave the listening socket readable and the event loop spinning).
int connectionsThatFit(int wanted)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return wanted;
    if (limit.rlim_cur < limit.rlim_max)
    {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
        ::getrlimit(RLIMIT_NOFILE, &limit);
    }
    const auto room = static_cast<long long>(limit.rlim_cur) - FILES_KEPT_FOR_THE_REST;
    if (room < wanted)
        Poco::Logger::get("captrack.http")
            .warning("open-file limit %?d: at most %?d connections (http.max_connections asks %d)",
                     static_cast<long long>(limit.rlim_cur), std::max(room, 1LL), wanted);
    return static_cast<int>(std::max(1LL, std::min<long long>(room, wanted)));
}

} // namespace

HttpTransport::HttpTransport(const RequestResponder& responder, TransportOptions options)
    : _responder(responder), _options(std::move(options))
{
}

HttpTransport::~HttpTransport()
{
    stop();
}

void HttpTransport::start()
{
    _options.maxConnections = connectionsThatFit(_options.maxConnections);
    _pSocket = std::make_unique<Poco::Net::ServerSocket>();
    _pSocket->bind(Poco::Net::SocketAddress(_options.address, _options.port), true);
    _pSocket->listen(_options.backlog);
    _pSocket->setBlocking(false);
    _port = _pSocket->address().port();
    _pTable = std::make_unique<ConnectionTable>(_responder, _options, _pSocket->impl()->sockfd());
    _eventThread = std::thread([this] { _pTable->run(); });
    for (int i = 0; i < _options.workers; ++i)
        _workers.emplace_back([this] { _pTable->work(); });
}

void HttpTransport::beginStop()
{
    if (!_pTable)
        return;
    _pTable->requestStop(_options.shutdownGrace);
    // The event thread has shut it down (new connects are refused) and no longer watches it.
    _pSocket->close();
}

void HttpTransport::endGrace()
{
    if (_pTable)
        _pTable->endGrace();
}

bool HttpTransport::waitStopped(Poco::Timespan timeout)
{
    if (!_pTable)
        return true;
    const bool stopped = _pTable->waitStopped(timeout);
    _cut = _pTable->cut();
    return stopped;
}

void HttpTransport::stop()
{
    if (!_pTable)
        return;
    beginStop();
    _eventThread.join();
    _cut = _pTable->cut();
    for (auto& worker : _workers)
        worker.join();
    _workers.clear();
    _pTable.reset();
    _pSocket.reset();
    _port = 0;
}

} // namespace captrack::http
