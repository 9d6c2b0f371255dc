// ConnectionTable, continued: serving one connection, by whichever thread owns it (Connection.h):
// read, frame, answer (a worker) or queue (the event thread), and hand the connection back.

#include "ConnectionTable.h"

#include "captrack/http/ProblemWriter.h"
#include "captrack/http/RequestTarget.h"

#include <Poco/Net/HTTPResponse.h>
#include <Poco/String.h>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace captrack::http
{

using transport::Connection;
using transport::ReadOutcome;
using Phase = transport::Connection::Phase;

namespace
{
constexpr std::size_t MAX_LINGER_BYTES = 16 << 20;
constexpr std::size_t CHUNKED_OVERHEAD = 64 << 10;
constexpr std::size_t RETAINED_BUFFER_BYTES = 64 << 10; ///< what a connection may keep of its buffer between requests
constexpr std::size_t RETAINED_WIRE_BYTES = 64 << 10;   ///< what a worker may keep of its response head buffer
const Poco::Timespan LINGER(2, 0);
} // namespace

ApiResponse ConnectionTable::framingProblem(int status, const std::string& detail)
{
    return ProblemWriter::problem(
        status, Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status)),
        detail);
}

ConnectionTable::ConnectionPtr ConnectionTable::find(int fd) const
{
    std::shared_lock<std::shared_mutex> lock(_tableMutex);
    const auto it = _connections.find(fd);
    return it == _connections.end() ? nullptr : it->second;
}

void ConnectionTable::onReady(const ConnectionPtr& connection, Role role)
{
    // Its socket woke this thread; if a deadline or a stop claimed it meanwhile, that one re-arms or closes it.
    if (!connection->claim())
        return;
    if (connection->state == Connection::State::Lingering)
        return linger(connection);
    if (transport::readAvailable(*connection, readLimit(*connection)) == ReadOutcome::Closed)
        return close(connection);
    if (connection->between && !connection->in.empty())
    {
        connection->between = false;
        setDeadline(*connection, _options.requestDeadline);
    }
    serve(connection, role);
}

void ConnectionTable::serve(const ConnectionPtr& connection, Role role)
{
    for (;;)
    {
        RequestHead head;
        std::string body;
        const Framed framed = frame(*connection, head, body);
        if (framed == Framed::Refused)
            return release(connection);
        if (framed == Framed::NeedMore)
        {
            if (connection->peerClosed)
                return close(connection);
            connection->phase = connection->in.empty() ? Phase::Waiting : Phase::Arriving;
            return release(connection);
        }
        {
            std::lock_guard<std::mutex> lock(connection->requestMutex);
            connection->request.assign(head.method).append(" ").append(loggableTarget(head.target));
            connection->received = Poco::Timestamp();
        }
        connection->phase = Phase::Handling;
        // A stop whose grace ran out has cut it while this thread read it: its handler must not run. The
        // phase is set first and the cut forgets before it reads the phase (cutEverything), so either this
        // sees the cut, or the cut sees Handling and says so.
        if (connection->forgotten.load())
            return close(connection);
        if (role == Role::EventThread)
            return enqueue({connection, std::move(head), std::move(body)});
        if (!answer(connection, head, std::move(body)))
            return;
    }
}

ConnectionTable::Framed ConnectionTable::frame(Connection& connection, RequestHead& head, std::string& body)
{
    if (connection.head)
        return frameBody(connection, head, body);
    auto framed = parseRequestHead(connection.in, _options.headLimits, connection.headProgress);
    if (framed.state == Framing::Incomplete)
        return Framed::NeedMore;
    connection.headProgress = {};
    if (framed.state == Framing::Invalid)
        return refuse(connection, framingProblem(framed.status, framed.detail), nullptr);
    HeadVerdict verdict;
    try
    {
        verdict = _responder.inspect(framed.head);
    }
    catch (const std::exception& e) // the transport's threads must survive whatever a responder does
    {
        _log.error("inspecting a request failed: %s", std::string(e.what()));
        return refuse(connection, ProblemWriter::internalError("(early)"), &framed.head);
    }
    if (verdict.early)
        return refuse(connection, *verdict.early, &framed.head);
    const auto expect = framed.head.field("Expect");
    if (expect && Poco::icompare(*expect, "100-continue") != 0)
        return refuse(connection, framingProblem(417, "only `Expect: 100-continue` is understood"), &framed.head);
    const bool awaitsContinue = expect && framed.head.hasBody() && connection.in.size() == framed.head.headBytes;
    connection.maxBodyBytes = verdict.maxBodyBytes;
    connection.head = std::move(framed.head);
    const Framed result = frameBody(connection, head, body);
    // Only once the body may come: a Content-Length over the route's limit has had its 413 instead,
    // and a client that waited for the 100 sends nothing in vain.
    if (awaitsContinue && result == Framed::NeedMore)
        transport::sendWithoutWaiting(connection.fd, "HTTP/1.1 100 Continue\r\n\r\n");
    return result;
}

ConnectionTable::Framed ConnectionTable::frameBody(Connection& connection, RequestHead& head, std::string& body)
{
    const RequestHead& pending = *connection.head;
    auto framed = decodeBody(std::string_view(connection.in).substr(pending.headBytes), pending,
                             connection.maxBodyBytes, connection.chunked);
    if (framed.state == Framing::Incomplete && connection.in.size() >= readLimit(connection))
        return refuse(connection, framingProblem(413, "the chunked body's framing exceeds its bound"), &pending);
    if (framed.state == Framing::Incomplete)
        return Framed::NeedMore;
    if (framed.state == Framing::Invalid)
        return refuse(connection, framingProblem(framed.status, framed.detail), &pending);
    connection.in.erase(0, pending.headBytes + framed.consumed);
    // The buffer grew with the body (to twice its size, at worst): a keep-alive connection must not
    // hold that while it waits, or idle connections that each sent one large body pin it all.
    if (connection.in.capacity() > RETAINED_BUFFER_BYTES)
        connection.in.shrink_to_fit();
    head = std::move(*connection.head);
    body = std::move(framed.body);
    connection.head.reset();
    connection.chunked = {};
    return Framed::Whole;
}

ApiResponse ConnectionTable::respond(const RequestHead& head, std::string body,
                                     const Poco::Net::SocketAddress& client) const
{
    try
    {
        return _responder.respond(head, std::move(body), client);
    }
    catch (const std::exception& e)
    {
        _log.error("the responder failed: %s", std::string(e.what()));
        return ProblemWriter::internalError("(none)");
    }
}

bool ConnectionTable::answer(const ConnectionPtr& connection, const RequestHead& head, std::string body)
{
    const ApiResponse response = respond(head, std::move(body), connection->peer);
    const bool keepAlive = head.keepAlive && !connection->peerClosed && !stopping();
    // Each worker writes its response heads into one buffer of its own: no allocation per request.
    thread_local std::string wire;
    const std::string_view payload =
        transport::wireHead(response, head.method == "HEAD", keepAlive, head.version, wire);
    const bool sent =
        transport::sendAll(connection->fd, wire, payload, Poco::Timestamp() + _options.sendTimeout.totalMicroseconds());
    if (wire.capacity() > RETAINED_WIRE_BYTES)
        std::string().swap(wire);
    if (!sent)
    {
        close(connection);
        return false;
    }
    // Stopping, a connection answered with keep-alive just before the stop closes too, gracefully:
    // whatever the client sent after its request is read and dropped, so that it sees its answer.
    if (!keepAlive || stopping())
    {
        startLinger(*connection);
        release(connection);
        return false;
    }
    connection->between = connection->in.empty();
    setDeadline(*connection, connection->between ? _options.idleTimeout : _options.requestDeadline);
    connection->phase = connection->between ? Phase::Waiting : Phase::Arriving;
    if (!connection->between)
        return true; // the next request was sent with this one: frame it now
    release(connection);
    return false;
}

ConnectionTable::Framed ConnectionTable::refuse(Connection& connection, const ApiResponse& response,
                                                const RequestHead* pHead)
{
    _responder.refused(pHead, response.status);
    const bool headRequest = pHead && pHead->method == "HEAD"; // RFC 9110 9.3.2: never a body
    transport::sendWithoutWaiting(
        connection.fd, transport::wireResponse(response, headRequest, false, pHead ? pHead->version : "HTTP/1.1"));
    startLinger(connection);
    return Framed::Refused;
}

void ConnectionTable::startLinger(Connection& connection)
{
    ::shutdown(connection.fd, SHUT_WR);
    connection.state = Connection::State::Lingering;
    connection.phase = Phase::Closing;
    setDeadline(connection, LINGER);
    std::string().swap(connection.in);
    connection.headProgress = {};
    connection.head.reset();
    connection.chunked = {};
}

void ConnectionTable::linger(const ConnectionPtr& connection)
{
    if (transport::discardAvailable(*connection) == ReadOutcome::Closed || connection->discarded > MAX_LINGER_BYTES)
        return close(connection);
    release(connection);
}

void ConnectionTable::release(const ConnectionPtr& connection)
{
    const bool idle = connection->state == Connection::State::Reading && connection->in.empty();
    connection->release();
    // After the release: a readiness event may wake another thread at once, and finds it free.
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP | EPOLLONESHOT;
    event.data.fd = connection->fd;
    ::epoll_ctl(_connectionEpollFd, EPOLL_CTL_MOD, connection->fd, &event);
    // A stop closes the connections idle when it begins. It may have looked at this one just before it was
    // released (and found it owned): then it closes as one answered just before the stop does, gracefully.
    if (!idle || !_stopping.load() || !connection->claim())
        return;
    if (connection->state == Connection::State::Reading && connection->in.empty())
        startLinger(*connection);
    release(connection);
}

void ConnectionTable::close(const ConnectionPtr& connection)
{
    connection->phase = Phase::Closing;
    ::epoll_ctl(_connectionEpollFd, EPOLL_CTL_DEL, connection->fd, nullptr);
    forget(*connection);
}

void ConnectionTable::forget(Connection& connection)
{
    if (connection.forgotten.exchange(true))
        return;
    const std::string address = connection.counted ? connection.peer.host().toString() : std::string();
    bool none = false;
    {
        std::lock_guard<std::shared_mutex> lock(_tableMutex);
        _connections.erase(connection.fd);
        if (connection.counted)
        {
            const auto it = _perAddress.find(address);
            if (it != _perAddress.end() && --it->second <= 0)
                _perAddress.erase(it);
        }
        none = _connections.empty();
    }
    if (none && _stopping.load()) // the stop ends with the last connection: tell the event thread now
    {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(_wakeFd, &one, sizeof one);
    }
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

} // namespace captrack::http
