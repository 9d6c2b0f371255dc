// ConnectionTable, continued: how its event loop stops (docs/HTTP.md "Stopping"). The rest of the
// class is in ConnectionTable.cpp; the stop is apart to keep each file to one concern.

#include "ConnectionTable.h"

#include <Poco/Logger.h>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <utility>

namespace captrack::http
{

using transport::Connection;

bool ConnectionTable::stopStep()
{
    if (_listenFd >= 0)
    {
        const int listenFd = std::exchange(_listenFd, -1);
        ::epoll_ctl(_epollFd, EPOLL_CTL_DEL, listenFd, nullptr);
        // On Linux this ends listening at once (a connect is refused; one the kernel completed but
        // nobody accepted is reset), before the thread that stops gets to close the descriptor it owns.
        ::shutdown(listenFd, SHUT_RD);
        _stop.releaseListener();
        closeIdle();
    }
    std::size_t cut = 0;
    if (!_connections.empty() && _stop.graceOver(Poco::Timestamp()))
        cut = cutEverything();
    if (!_connections.empty())
        return false;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _jobs.clear(); // requests no worker began before a cut: their connections are shut already
        _stopped = true;
    }
    _jobsReady.notify_all();
    _stop.finish(cut);
    return true;
}

void ConnectionTable::closeIdle()
{
    // A connection with nothing of a request received (just accepted, or kept alive between two
    // requests) has nothing in flight: it closes now. One with a request begun or under way stays.
    std::vector<ConnectionPtr> idle;
    std::size_t handling = 0;
    for (const auto& [fd, connection] : _connections)
    {
        if (connection->state == Connection::State::Reading && connection->in.empty())
            idle.push_back(connection);
        handling += connection->state == Connection::State::Handling ? 1 : 0;
    }
    for (const auto& connection : idle)
        close(connection);
    Poco::Logger::get("captrack.http")
        .information("stop: listening socket closed, %z idle connection(s) closed, %z request(s) in flight, "
                     "%z other connection(s) finishing",
                     idle.size(), handling, _connections.size() - handling);
}

std::size_t ConnectionTable::cutEverything()
{
    auto& log = Poco::Logger::get("captrack.http");
    const Poco::Timestamp now;
    std::vector<ConnectionPtr> all;
    for (const auto& [fd, connection] : _connections)
        all.push_back(connection);
    std::size_t cut = 0;
    for (const auto& connection : all)
    {
        if (connection->state == Connection::State::Handling)
        {
            // The worker still runs the handler: shut the socket (the client sees it closed, its
            // answer never comes) but leave the descriptor to the worker, which still holds it.
            log.warning("stop: the grace ran out; cut %s from %s, received %.1f s ago", connection->request,
                        connection->peer.toString(), static_cast<double>(now - connection->received) / 1e6);
            ::shutdown(connection->fd, SHUT_RDWR);
            ++cut;
        }
        else if (connection->state == Connection::State::Reading && !connection->in.empty())
        {
            log.warning("stop: the grace ran out; cut a request still arriving from %s", connection->peer.toString());
            ++cut;
        }
        close(connection);
    }
    return cut;
}

} // namespace captrack::http
