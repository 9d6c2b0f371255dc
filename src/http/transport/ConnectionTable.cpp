#include "ConnectionTable.h"

#include "captrack/Errors.h"
#include "captrack/http/ProblemWriter.h"

#include <Poco/Logger.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>

#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

namespace captrack::http
{

using transport::Connection;
using transport::Next;
using transport::ReadOutcome;

namespace
{
constexpr int MAX_EVENTS = 256;
constexpr int TICK_MS = 100;
constexpr std::size_t MAX_LINGER_BYTES = 16 << 20;
constexpr std::size_t CHUNKED_OVERHEAD = 64 << 10;
constexpr std::size_t LOOPBACK_RESERVE = 64;
constexpr std::size_t RETAINED_BUFFER_BYTES = 64 << 10; ///< what a connection may keep of its buffer between requests
const Poco::Timestamp::TimeDiff LINGER = 2 * Poco::Timestamp::resolution();

void watchFd(int epollFd, int fd)
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = fd;
    ::epoll_ctl(epollFd, EPOLL_CTL_ADD, fd, &event);
}

void unwatchFd(int epollFd, int fd)
{
    ::epoll_ctl(epollFd, EPOLL_CTL_DEL, fd, nullptr);
}

void wake(int wakeFd)
{
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wakeFd, &one, sizeof one);
}

ApiResponse framingProblem(int status, const std::string& detail)
{
    return ProblemWriter::problem(
        status, Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status)),
        detail);
}
} // namespace

ConnectionTable::ConnectionTable(const RequestResponder& responder, const TransportOptions& options, int listenFd)
    : _responder(responder), _options(options),
      _busy(ProblemWriter::fromException(OverloadedError("too many connections", 1), "(none)")), _listenFd(listenFd),
      _epollFd(::epoll_create1(EPOLL_CLOEXEC)), _wakeFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
{
    if (_epollFd < 0 || _wakeFd < 0)
        throw Poco::SystemException("cannot create the HTTP event loop");
    watchFd(_epollFd, _listenFd);
    watchFd(_epollFd, _wakeFd);
}

ConnectionTable::~ConnectionTable()
{
    _connections.clear();
    ::close(_wakeFd);
    ::close(_epollFd);
}

void ConnectionTable::run()
{
    epoll_event events[MAX_EVENTS];
    for (;;)
    {
        const int ready = ::epoll_wait(_epollFd, events, MAX_EVENTS, TICK_MS);
        for (int i = 0; i < ready; ++i)
        {
            const int fd = events[i].data.fd;
            if (fd == _listenFd)
                acceptAll();
            else if (fd == _wakeFd)
            {
                std::uint64_t count = 0;
                [[maybe_unused]] const auto got = ::read(_wakeFd, &count, sizeof count);
            }
            else if (const auto it = _connections.find(fd); it != _connections.end())
            {
                const ConnectionPtr connection = it->second;
                if (connection->state == Connection::State::Reading)
                    onReadable(connection);
                else if (connection->state == Connection::State::Lingering)
                    linger(connection);
            }
        }
        adoptHandedBack();
        expireDeadlines();
        if (_stop.begun() && stopStep())
            return;
    }
}

void ConnectionTable::requestStop(Poco::Timespan grace)
{
    _stop.begin(grace);
    wake(_wakeFd);
    _stop.waitUntilListenerReleased();
}

void ConnectionTable::endGrace()
{
    _stop.endGrace();
    wake(_wakeFd);
}

bool ConnectionTable::nextJob(transport::Job& job)
{
    std::unique_lock<std::mutex> lock(_mutex);
    _jobsReady.wait(lock, [this] { return !_jobs.empty() || _stopped; });
    if (_jobs.empty())
        return false;
    job = std::move(_jobs.front());
    _jobs.pop_front();
    return true;
}

void ConnectionTable::handBack(std::shared_ptr<Connection> connection, Next next)
{
    std::lock_guard<std::mutex> lock(_mutex);
    _handedBack.emplace_back(std::move(connection), next);
    wake(_wakeFd);
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
                Poco::Logger::get("captrack.http").warning("out of file descriptors: connections wait in the backlog");
            return;
        }
        const Poco::Net::SocketAddress client(reinterpret_cast<const sockaddr*>(&address), length);
        bool counted = false;
        if (!admit(client, counted))
        {
            transport::sendWithoutWaiting(fd, transport::wireResponse(_busy, false, false, "HTTP/1.1"));
            ::close(fd);
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto connection = std::make_shared<Connection>(fd, client, counted);
        connection->deadline = Poco::Timestamp() + _options.requestDeadline.totalMicroseconds();
        _connections.emplace(fd, connection);
        watch(connection);
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

void ConnectionTable::watch(const ConnectionPtr& connection)
{
    watchFd(_epollFd, connection->fd);
}

std::size_t ConnectionTable::readLimit(const Connection& connection) const
{
    if (!connection.head)
        return _options.headLimits.maxHeadBytes + 1;
    const auto& head = *connection.head;
    if (head.chunked)
        return head.headBytes + 2 * connection.maxBodyBytes + CHUNKED_OVERHEAD;
    return head.headBytes +
           static_cast<std::size_t>(std::min<std::uint64_t>(head.contentLength, connection.maxBodyBytes));
}

void ConnectionTable::onReadable(const ConnectionPtr& connection)
{
    if (transport::readAvailable(*connection, readLimit(*connection)) == ReadOutcome::Closed)
        return close(connection);
    if (connection->between && !connection->in.empty())
    {
        connection->between = false;
        connection->deadline = Poco::Timestamp() + _options.requestDeadline.totalMicroseconds();
    }
    frame(connection);
    if (connection->state == Connection::State::Reading && connection->peerClosed)
        close(connection);
}

void ConnectionTable::frame(const ConnectionPtr& connection)
{
    if (!connection->head)
    {
        auto framed = parseRequestHead(connection->in, _options.headLimits, connection->headProgress);
        if (framed.state == Framing::Incomplete)
            return;
        connection->headProgress = {};
        if (framed.state == Framing::Invalid)
            return answerAndLinger(connection, framingProblem(framed.status, framed.detail), nullptr);
        HeadVerdict verdict;
        try
        {
            verdict = _responder.inspect(framed.head);
        }
        catch (const std::exception& e) // the event thread must survive whatever a responder does
        {
            Poco::Logger::get("captrack.http").error("inspecting a request failed: %s", std::string(e.what()));
            return answerAndLinger(connection, ProblemWriter::internalError("(early)"), &framed.head);
        }
        if (verdict.early)
            return answerAndLinger(connection, *verdict.early, &framed.head);
        const auto expect = framed.head.field("Expect");
        if (expect && Poco::icompare(*expect, "100-continue") != 0)
            return answerAndLinger(connection, framingProblem(417, "only `Expect: 100-continue` is understood"),
                                   &framed.head);
        const bool awaitsContinue = expect && framed.head.hasBody() && connection->in.size() == framed.head.headBytes;
        connection->maxBodyBytes = verdict.maxBodyBytes;
        connection->head = std::move(framed.head);
        frameBody(connection);
        // Only once the body may come: a Content-Length over the route's limit has had its 413 instead,
        // and a client that waited for the 100 sends nothing in vain.
        if (awaitsContinue && connection->state == Connection::State::Reading && connection->head)
            transport::sendWithoutWaiting(connection->fd, "HTTP/1.1 100 Continue\r\n\r\n");
        return;
    }
    frameBody(connection);
}

void ConnectionTable::frameBody(const ConnectionPtr& connection)
{
    const RequestHead& head = *connection->head;
    auto framed = decodeBody(std::string_view(connection->in).substr(head.headBytes), head, connection->maxBodyBytes,
                             connection->chunked);
    if (framed.state == Framing::Incomplete && connection->in.size() >= readLimit(*connection))
        return answerAndLinger(connection, framingProblem(413, "the chunked body's framing exceeds its bound"), &head);
    if (framed.state == Framing::Incomplete)
        return;
    if (framed.state == Framing::Invalid)
        return answerAndLinger(connection, framingProblem(framed.status, framed.detail), &head);
    connection->in.erase(0, head.headBytes + framed.consumed);
    // The buffer grew with the body (to twice its size, at worst): a keep-alive connection must not
    // hold that while it waits, or idle connections that each sent one large body pin it all.
    if (connection->in.capacity() > RETAINED_BUFFER_BYTES)
        connection->in.shrink_to_fit();
    connection->request = head.method + " " + head.target;
    connection->received = Poco::Timestamp();
    transport::Job job{connection, std::move(*connection->head), std::move(framed.body)};
    connection->head.reset();
    connection->chunked = {};
    connection->state = Connection::State::Handling;
    unwatchFd(_epollFd, connection->fd);
    std::lock_guard<std::mutex> lock(_mutex);
    _jobs.push_back(std::move(job));
    _jobsReady.notify_one();
}

void ConnectionTable::answerAndLinger(const ConnectionPtr& connection, const ApiResponse& response,
                                      const RequestHead* pHead)
{
    const bool headRequest = pHead && pHead->method == "HEAD"; // RFC 9110 9.3.2: never a body
    transport::sendWithoutWaiting(
        connection->fd, transport::wireResponse(response, headRequest, false, pHead ? pHead->version : "HTTP/1.1"));
    startLinger(connection);
}

void ConnectionTable::startLinger(const ConnectionPtr& connection)
{
    ::shutdown(connection->fd, SHUT_WR);
    connection->state = Connection::State::Lingering;
    connection->deadline = Poco::Timestamp() + LINGER;
    std::string().swap(connection->in);
    connection->headProgress = {};
    connection->head.reset();
    connection->chunked = {};
}

void ConnectionTable::linger(const ConnectionPtr& connection)
{
    if (transport::discardAvailable(*connection) == ReadOutcome::Closed || connection->discarded > MAX_LINGER_BYTES)
        close(connection);
}

void ConnectionTable::close(const ConnectionPtr& connection)
{
    if (connection->state != Connection::State::Handling)
        unwatchFd(_epollFd, connection->fd);
    if (connection->counted)
    {
        const auto it = _perAddress.find(connection->peer.host().toString());
        if (it != _perAddress.end() && --it->second <= 0)
            _perAddress.erase(it);
    }
    _connections.erase(connection->fd);
}

void ConnectionTable::adoptHandedBack()
{
    std::vector<std::pair<ConnectionPtr, Next>> handedBack;
    {
        std::lock_guard<std::mutex> lock(_mutex);
        handedBack.swap(_handedBack);
    }
    const bool stopping = _stop.begun();
    for (auto& [connection, next] : handedBack)
    {
        connection->state = Connection::State::Reading;
        if (next == Next::Close)
        {
            close(connection);
            continue;
        }
        watch(connection);
        // Stopping, a connection answered with keep-alive just before the stop closes too, gracefully:
        // whatever the client sent after its request is read and dropped, so that it sees its answer.
        if (next == Next::Linger || stopping)
        {
            startLinger(connection);
            continue;
        }
        connection->between = connection->in.empty();
        connection->deadline = Poco::Timestamp() + (connection->between ? _options.idleTimeout.totalMicroseconds()
                                                                        : _options.requestDeadline.totalMicroseconds());
        if (!connection->in.empty())
            frame(connection);
    }
}

void ConnectionTable::expireDeadlines()
{
    const Poco::Timestamp now;
    if (now - _lastExpiry < TICK_MS * 1000)
        return;
    _lastExpiry = now;
    std::vector<ConnectionPtr> expired;
    for (const auto& [fd, connection] : _connections)
        if (connection->state != Connection::State::Handling && connection->deadline <= now)
            expired.push_back(connection);
    for (const auto& connection : expired)
    {
        // A request begun but not finished in time hears why; an idle connection is just closed.
        if (connection->state == Connection::State::Reading && !connection->in.empty())
            transport::sendWithoutWaiting(
                connection->fd, transport::wireResponse(framingProblem(408, "the request was not complete in time"),
                                                        false, false, "HTTP/1.1"));
        close(connection);
    }
}

} // namespace captrack::http
