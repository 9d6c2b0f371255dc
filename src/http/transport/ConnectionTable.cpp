// ConnectionTable: its epoll sets and the event thread (accepts, deadlines, reading while every worker
// is busy). Serving a connection is in ConnectionTableServe.cpp, the workers' loop and the queue in
// ConnectionTableWork.cpp, the stop in ConnectionTableStop.cpp.

#include "ConnectionTable.h"

#include "captrack/Errors.h"
#include "captrack/http/ProblemWriter.h"

#include <algorithm>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace captrack::http
{

using transport::Connection;

namespace
{
constexpr int MAX_EVENTS = 256;
constexpr int TICK_MS = 100;
constexpr std::size_t LOOPBACK_RESERVE = 64;

void watchFd(int epollFd, int fd, std::uint32_t events)
{
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    if (::epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, &event) != 0)
        throw Poco::SystemException("cannot watch a descriptor in the HTTP event loop");
}

int newEventFd()
{
    return ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
}
} // namespace

ConnectionTable::ConnectionTable(const RequestResponder& responder, const TransportOptions& options, int listenFd)
    : _responder(responder), _options(options),
      _busy(ProblemWriter::fromException(OverloadedError("too many connections", 1), "(none)")),
      _log(Poco::Logger::get("captrack.http")), _listenFd(listenFd), _eventEpollFd(::epoll_create1(EPOLL_CLOEXEC)),
      _connectionEpollFd(::epoll_create1(EPOLL_CLOEXEC)), _wakeFd(newEventFd()), _jobsFd(newEventFd()),
      _stoppedFd(newEventFd()), _parkingEpollFd(::epoll_create1(EPOLL_CLOEXEC)), _parkedJobsFd(newEventFd()),
      _maxWaiting(static_cast<int>(std::max(2u, std::thread::hardware_concurrency())))
{
    for (const int fd :
         {_eventEpollFd, _connectionEpollFd, _wakeFd, _jobsFd, _stoppedFd, _parkingEpollFd, _parkedJobsFd})
        if (fd < 0)
            throw Poco::SystemException("cannot create the HTTP event loop");
    watchFd(_eventEpollFd, _listenFd, EPOLLIN);
    watchFd(_eventEpollFd, _wakeFd, EPOLLIN);
    // Armed while no worker waits (none has started yet): then the event thread reads the connections.
    watchFd(_eventEpollFd, _connectionEpollFd, EPOLLIN | EPOLLONESHOT);
    // One edge per queued request that found a worker waiting, so one worker wakes for it.
    watchFd(_connectionEpollFd, _jobsFd, EPOLLIN | EPOLLET);
    // Level-triggered and never drained: once written, every worker wakes and returns.
    watchFd(_connectionEpollFd, _stoppedFd, EPOLLIN);
    // Parked workers: one wakes when a socket is ready and none waits (armed by the last to leave).
    watchFd(_parkingEpollFd, _connectionEpollFd, EPOLLIN | EPOLLONESHOT);
    watchFd(_parkingEpollFd, _parkedJobsFd, EPOLLIN | EPOLLET);
    watchFd(_parkingEpollFd, _stoppedFd, EPOLLIN);
}

ConnectionTable::~ConnectionTable()
{
    _jobs.clear();
    _connections.clear();
    for (const int fd :
         {_parkedJobsFd, _parkingEpollFd, _stoppedFd, _jobsFd, _wakeFd, _connectionEpollFd, _eventEpollFd})
        ::close(fd);
}

void ConnectionTable::run()
{
    epoll_event events[MAX_EVENTS];
    for (;;)
    {
        const int ready = ::epoll_wait(_eventEpollFd, events, MAX_EVENTS, TICK_MS);
        bool connectionsReady = false;
        for (int i = 0; i < ready; ++i)
        {
            const int fd = events[i].data.fd;
            if (fd == _listenFd)
                acceptAll();
            else if (fd == _wakeFd)
                drainEventFd(_wakeFd);
            else if (fd == _connectionEpollFd)
                connectionsReady = true;
        }
        if (connectionsReady)
            serveWhileWorkersAreBusy();
        expireDeadlines();
        if (_stopping.load() && stopStep())
            return;
    }
}

void ConnectionTable::requestStop(Poco::Timespan grace)
{
    _stop.begin(grace);
    _stopping.store(true);
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(_wakeFd, &one, sizeof one);
    _stop.waitUntilListenerReleased();
}

void ConnectionTable::endGrace()
{
    _stop.endGrace();
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(_wakeFd, &one, sizeof one);
}

void ConnectionTable::acceptAll()
{
    for (;;)
    {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        const int fd =
            ::accept4(_listenFd, reinterpret_cast<sockaddr*>(&address), &length, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0)
        {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno == EMFILE || errno == ENFILE)
                _log.warning("out of file descriptors: connections wait in the backlog");
            return;
        }
        const Poco::Net::SocketAddress client(reinterpret_cast<const sockaddr*>(&address), length);
        bool counted = false;
        ConnectionPtr connection;
        {
            std::lock_guard<std::shared_mutex> lock(_tableMutex);
            if (admit(client, counted))
            {
                connection = std::make_shared<Connection>(fd, client, counted);
                setDeadline(*connection, _options.requestDeadline);
                _connections.emplace(fd, connection);
            }
        }
        if (!connection)
        {
            _responder.refused(nullptr, _busy.status); // counted (metrics) as a request without a head
            transport::sendWithoutWaiting(fd, transport::wireResponse(_busy, false, false, "HTTP/1.1"));
            ::close(fd);
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        connection->release();
        epoll_event event{};
        event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
        event.data.fd = fd;
        if (::epoll_ctl(_connectionEpollFd, EPOLL_CTL_ADD, fd, &event) != 0 && connection->claim())
            close(connection); // out of kernel memory: no thread would ever hear from it
    }
}

bool ConnectionTable::admit(const Poco::Net::SocketAddress& client, bool& counted)
{
    // Loopback (health checks, a local proxy) keeps a reserve beyond the cap, so a full table from
    // elsewhere never blocks a local health check.
    const bool local = _options.exemptLoopback && client.host().isLoopback();
    const std::size_t cap = static_cast<std::size_t>(_options.maxConnections) + (local ? LOOPBACK_RESERVE : 0);
    if (_connections.size() >= cap)
        return false;
    if (local)
        return true;
    int& open = _perAddress[client.host().toString()];
    if (open >= _options.maxConnectionsPerAddress)
        return false;
    ++open;
    counted = true;
    return true;
}

void ConnectionTable::serveWhileWorkersAreBusy()
{
    // No worker waited on the sockets when this was armed. A parked one goes to them, if there is one
    // (it arms this again when it leaves). With none parked, every worker is busy: read what is ready
    // (refusals and deadlines then apply as bytes arrive, whatever the handlers do) and queue whole
    // requests for the next free worker.
    if (_idleWorkers.load() == 0 && _parked.load() > 0)
    {
        armParked();
        return;
    }
    epoll_event events[MAX_EVENTS];
    const int ready = ::epoll_wait(_connectionEpollFd, events, MAX_EVENTS, 0);
    for (int i = 0; i < ready; ++i)
    {
        const int fd = events[i].data.fd;
        if (fd == _jobsFd)
        {
            // The wake-up was meant for a worker that has since become busy: pass it on, if one waits.
            drainEventFd(_jobsFd);
            if (_jobCount.load() > 0)
                wakeWorker();
        }
        else if (fd != _stoppedFd)
        {
            if (const auto connection = find(fd))
                onReady(connection, Role::EventThread);
        }
    }
    if (_idleWorkers.load() == 0)
        callForHelp();
}

void ConnectionTable::expireDeadlines()
{
    const Poco::Timestamp now;
    if (now - _lastExpiry < TICK_MS * 1000)
        return;
    _lastExpiry = now;
    std::vector<ConnectionPtr> expired;
    {
        std::shared_lock<std::shared_mutex> lock(_tableMutex);
        for (const auto& [fd, connection] : _connections)
            if (connection->due.load() <= now.epochMicroseconds())
                expired.push_back(connection);
    }
    for (const auto& connection : expired)
    {
        // Owned elsewhere: a request being answered has no deadline, and one being read is looked at again
        // at the next tick.
        if (!connection->claim())
            continue;
        if (connection->due.load() > now.epochMicroseconds()) // its last owner moved the deadline
        {
            release(connection);
            continue;
        }
        // A request begun but not finished in time hears why; an idle connection is just closed.
        if (connection->state == Connection::State::Reading && !connection->in.empty())
        {
            _responder.refused(nullptr, 408);
            transport::sendWithoutWaiting(
                connection->fd, transport::wireResponse(framingProblem(408, "the request was not complete in time"),
                                                        false, false, "HTTP/1.1"));
        }
        close(connection);
    }
}

void ConnectionTable::setDeadline(Connection& connection, Poco::Timespan from)
{
    connection.due.store((Poco::Timestamp() + from.totalMicroseconds()).epochMicroseconds());
}

} // namespace captrack::http
