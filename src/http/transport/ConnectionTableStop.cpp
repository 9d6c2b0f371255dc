// ConnectionTable, continued: how its event loop stops (docs/HTTP.md "Stopping"). The rest of the
// class is in ConnectionTable.cpp and its neighbours; the stop is apart to keep each file to one concern.

#include "ConnectionTable.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace captrack::http
{

using transport::Connection;
using Phase = transport::Connection::Phase;

namespace
{
template <class Map> std::vector<typename Map::mapped_type> everyConnection(const Map& connections)
{
    std::vector<typename Map::mapped_type> all;
    all.reserve(connections.size());
    for (const auto& [fd, connection] : connections)
        all.push_back(connection);
    return all;
}
} // namespace

bool ConnectionTable::stopStep()
{
    if (_listenFd >= 0)
    {
        const int listenFd = std::exchange(_listenFd, -1);
        ::epoll_ctl(_eventEpollFd, EPOLL_CTL_DEL, listenFd, nullptr);
        // On Linux this ends listening at once (a connect is refused; one the kernel completed but
        // nobody accepted is reset), before the thread that stops gets to close the descriptor it owns.
        ::shutdown(listenFd, SHUT_RD);
        _stop.releaseListener();
        closeIdle();
    }
    std::size_t cut = 0;
    bool empty = false;
    {
        std::shared_lock<std::shared_mutex> lock(_tableMutex);
        empty = _connections.empty();
    }
    if (!empty && _stop.graceOver(Poco::Timestamp()))
        cut = cutEverything();
    {
        std::shared_lock<std::shared_mutex> lock(_tableMutex);
        if (!_connections.empty())
            return false;
    }
    finishStop(cut);
    return true;
}

void ConnectionTable::closeIdle()
{
    // A connection with nothing of a request received (just accepted, or kept alive between two
    // requests) has nothing in flight: it closes now. One with a request begun or under way stays.
    // One owned by another thread now is looked after by that thread (release() sees the stop).
    std::vector<ConnectionPtr> all;
    {
        std::shared_lock<std::shared_mutex> lock(_tableMutex);
        all = everyConnection(_connections);
    }
    std::size_t idle = 0;
    std::size_t handling = 0;
    for (const auto& connection : all)
    {
        if (!connection->claim())
        {
            handling += connection->phase.load() == Phase::Handling ? 1 : 0;
            continue;
        }
        if (connection->state != Connection::State::Reading || !connection->in.empty())
        {
            release(connection);
            continue;
        }
        // Bytes the kernel received before the stop and no thread read yet are a request begun.
        if (transport::readAvailable(*connection, readLimit(*connection)) != transport::ReadOutcome::Closed &&
            !connection->in.empty())
        {
            connection->between = false;
            setDeadline(*connection, _options.requestDeadline);
            serve(connection, Role::EventThread);
            continue;
        }
        close(connection);
        ++idle;
    }
    std::size_t open = 0;
    {
        std::shared_lock<std::shared_mutex> lock(_tableMutex);
        open = _connections.size();
    }
    _log.information("stop: listening socket closed, %z idle connection(s) closed, %z request(s) in flight, "
                     "%z other connection(s) finishing",
                     idle, handling, open - std::min(open, handling));
}

std::size_t ConnectionTable::cutEverything()
{
    const Poco::Timestamp now;
    std::vector<ConnectionPtr> all;
    {
        std::shared_lock<std::shared_mutex> lock(_tableMutex);
        all = everyConnection(_connections);
    }
    std::size_t cut = 0;
    for (const auto& connection : all)
    {
        if (connection->claim())
        {
            if (connection->state == Connection::State::Reading && !connection->in.empty())
            {
                _log.warning("stop: the grace ran out; cut a request still arriving from %s",
                             connection->peer.toString());
                ++cut;
            }
            close(connection);
            continue;
        }
        // A worker runs its handler (or the request waits for one), or a thread reads it right now: shut
        // the socket (the client sees it closed, its answer never comes) but leave the descriptor to the
        // owner, which still holds it and finds the socket shut.
        // Forgotten before the phase is read: a worker that set Handling before this either sees the cut
        // and runs nothing, or its request is logged here as cut (ConnectionTable::serve).
        ::shutdown(connection->fd, SHUT_RDWR);
        ::epoll_ctl(_connectionEpollFd, EPOLL_CTL_DEL, connection->fd, nullptr);
        forget(*connection);
        const Phase phase = connection->phase.load();
        if (phase == Phase::Handling)
        {
            std::lock_guard<std::mutex> lock(connection->requestMutex);
            _log.warning("stop: the grace ran out; cut %s from %s, received %.1f s ago", connection->request,
                         connection->peer.toString(), static_cast<double>(now - connection->received) / 1e6);
            ++cut;
        }
        else if (phase == Phase::Arriving)
        {
            _log.warning("stop: the grace ran out; cut a request still arriving from %s", connection->peer.toString());
            ++cut;
        }
    }
    return cut;
}

void ConnectionTable::finishStop(std::size_t cut)
{
    {
        std::lock_guard<std::mutex> lock(_jobMutex);
        _jobs.clear(); // requests no worker began before a cut: their connections are shut already
        _jobCount.store(0);
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(_stoppedFd, &one, sizeof one);
    _stop.finish(cut);
}

} // namespace captrack::http
