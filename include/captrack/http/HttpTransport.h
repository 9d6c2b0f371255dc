#pragma once

#include "captrack/http/ApiRequest.h"
#include "captrack/http/RequestFramer.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace captrack::http
{

/// How the transport listens and what it allows a client (etc/captrack.properties `http.*`).
struct TransportOptions
{
    std::string address = "127.0.0.1";
    Poco::UInt16 port = 8080; ///< 0 picks a free port (tests)
    int workers = 32;         ///< threads that run handlers; slow or idle clients never hold one
    int backlog = 256;
    Poco::Timespan requestDeadline{5, 0}; ///< from accept (or a request's first byte) to its last byte
    Poco::Timespan idleTimeout{15, 0};    ///< a keep-alive connection waiting for its next request
    Poco::Timespan sendTimeout{30, 0};    ///< writing one response
    Poco::Timespan shutdownGrace{30, 0};  ///< how long a stop lets requests in flight run before it cuts them
    int maxConnections = 4096;            ///< open connections in all
    int maxConnectionsPerAddress = 64;    ///< per client address
    bool exemptLoopback = true; ///< loopback clients (health checks, a local reverse proxy) are not capped per address
    HeadLimits headLimits;
};

/// What the transport decides about a request once its head is complete, before its body is read.
struct HeadVerdict
{
    std::size_t maxBodyBytes = 1 << 20;
    /// An answer given without reading the body (bad path, 415, 401 without credentials); the
    /// connection is closed after it.
    std::optional<ApiResponse> early;
};

/// The application behind the transport. Both calls must not throw.
class RequestResponder
{
public:
    virtual ~RequestResponder() = default;
    /// Called when a head is complete, before its body is read, on the thread that reads the connection
    /// (a worker, or the event thread while every worker is busy): keep it cheap (no I/O).
    [[nodiscard]] virtual HeadVerdict inspect(const RequestHead& head) const = 0;
    /// Called on a worker thread with a whole request. Both calls may run on several threads at once.
    [[nodiscard]] virtual ApiResponse respond(const RequestHead& head, std::string body,
                                              const Poco::Net::SocketAddress& client) const = 0;
    /// Called when the transport answers a request itself with an error (malformed framing, an early
    /// verdict, an unsupported Expect) and closes the connection; `pHead` is null when no head could be
    /// read. For counting only: keep it cheap.
    virtual void refused(const RequestHead* /*pHead*/, int /*status*/) const {}
};

class ConnectionTable;

/// An HTTP/1.1 server in which a slow client costs a socket and a buffer, never a thread. Every
/// connection's socket is in one epoll set that the workers wait on; the worker a socket wakes reads
/// what has arrived (never waiting for more), frames it strictly (RequestFramer), answers a whole
/// request itself, writes the answer and re-arms the socket for the next request. An event thread
/// accepts connections, enforces the deadlines and the connection caps, and reads connections itself
/// while every worker is busy, queueing the whole requests it frames for the next free worker
/// (docs/HTTP.md). Error answers close the connection gracefully (the rest of the request is read and
/// dropped for a moment, so that the client sees the answer). start(), beginStop(), endGrace(),
/// waitStopped() and stop() are called from one thread.
class HttpTransport
{
public:
    HttpTransport(const RequestResponder& responder, TransportOptions options);
    ~HttpTransport();
    HttpTransport(const HttpTransport&) = delete;
    HttpTransport& operator=(const HttpTransport&) = delete;

    /// Binds and starts serving; throws Poco::Net::NetException when the address is taken.
    void start();
    /// Begins a graceful stop and returns as soon as the listening socket is closed (a new connect is
    /// refused from then on). Connections with nothing of a request received (idle keep-alive ones)
    /// close at once; every request received or begun is still answered, with `Connection: close`,
    /// and nothing more is read on its connection. Requests still unanswered when
    /// `TransportOptions::shutdownGrace` has passed are cut: logged, their connections shut down, and
    /// the stop finishes without them while their handlers may still run (docs/HTTP.md "Stopping").
    /// Later calls change nothing.
    void beginStop();
    /// Ends the grace of a stop begun now: whatever is unanswered is cut.
    void endGrace();
    /// Waits up to `timeout` for a stop begun to finish (every connection closed); true once it has.
    [[nodiscard]] bool waitStopped(Poco::Timespan timeout);
    /// How many requests the stop cut: 0 unless its grace ran out.
    [[nodiscard]] std::size_t cutRequests() const { return _cut; }
    /// beginStop(), then waits for the stop to finish and for every worker to return (after a cut,
    /// until the handlers of the requests cut have returned too), and releases the threads.
    void stop();
    /// The bound port (useful with port 0); 0 when not started.
    [[nodiscard]] Poco::UInt16 port() const { return _port; }

private:
    const RequestResponder& _responder;
    TransportOptions _options;
    Poco::UInt16 _port = 0;
    std::size_t _cut = 0;
    std::unique_ptr<Poco::Net::ServerSocket> _pSocket;
    std::unique_ptr<ConnectionTable> _pTable;
    std::thread _eventThread;
    std::vector<std::thread> _workers;
};

} // namespace captrack::http
