#pragma once

// Folder-private to the HTTP transport.

#include "Connection.h"
#include "GracefulStop.h"
#include "captrack/http/HttpTransport.h"

#include <Poco/Logger.h>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

namespace captrack::http
{

/// The connections of HttpTransport and the threads that serve them (docs/HTTP.md "How the
/// transport's threads share the work"). Every connection's socket is in one epoll set, armed with
/// EPOLLONESHOT; the workers wait on it (as many as there are processors; the others park on a second
/// set, which holds the first when no worker waits), and the one a socket wakes reads it, frames,
/// answers a whole request itself, writes the answer and re-arms the socket: one thread wake-up per
/// request. The event thread (run()) accepts, enforces the deadlines, carries out a stop, and when no
/// worker waits and none is parked reads the connections itself, queueing the whole requests it frames
/// for the next free worker (so a request is read, refused or timed out as it arrives even when every
/// worker runs a long handler). run() is the event thread; work() each worker; requestStop(),
/// endGrace() and waitStopped() the thread that stops the transport.
class ConnectionTable
{
public:
    ConnectionTable(const RequestResponder& responder, const TransportOptions& options, int listenFd);
    ~ConnectionTable();
    ConnectionTable(const ConnectionTable&) = delete;
    ConnectionTable& operator=(const ConnectionTable&) = delete;

    /// The event loop: returns once a stop was requested and every connection is closed: each
    /// request received (or begun) answered, or cut when the stop's grace ran out.
    void run();
    /// A worker's loop: serves ready connections and queued requests; returns once the event loop has.
    void work();
    /// Begins a graceful stop whose grace ends `grace` from now; returns once the event thread no
    /// longer watches the listening socket (the caller may close it). Later calls change nothing.
    void requestStop(Poco::Timespan grace);
    /// Ends the grace of a stop begun now: what is still unanswered is cut.
    void endGrace();
    [[nodiscard]] bool stopping() const { return _stopping.load(); }
    /// Waits up to `timeout` for the event loop to end; true once it has.
    [[nodiscard]] bool waitStopped(Poco::Timespan timeout) const { return _stop.waitUntilFinished(timeout); }
    /// The requests a finished stop cut.
    [[nodiscard]] std::size_t cut() const { return _stop.cut(); }

private:
    using ConnectionPtr = std::shared_ptr<transport::Connection>;
    /// Who serves a connection: a worker answers a whole request itself; the event thread queues it.
    enum class Role
    {
        Worker,
        EventThread,
    };
    enum class Framed
    {
        NeedMore, ///< the request is not whole yet
        Refused,  ///< answered at once; the connection lingers
        Whole,    ///< a whole request, taken out of the connection's buffer
    };

    // The event thread (ConnectionTable.cpp).
    void acceptAll();
    bool admit(const Poco::Net::SocketAddress& client, bool& counted);
    void serveWhileWorkersAreBusy();
    void expireDeadlines();

    // Whoever owns a connection (ConnectionTableServe.cpp).
    [[nodiscard]] ConnectionPtr find(int fd) const;
    void onReady(const ConnectionPtr& connection, Role role);
    void serve(const ConnectionPtr& connection, Role role);
    [[nodiscard]] Framed frame(transport::Connection& connection, RequestHead& head, std::string& body);
    [[nodiscard]] Framed frameBody(transport::Connection& connection, RequestHead& head, std::string& body);
    /// The responder's answer (a 500 if it throws, which it must not).
    [[nodiscard]] ApiResponse respond(const RequestHead& head, std::string body,
                                      const Poco::Net::SocketAddress& client) const;
    /// Answers a whole request; true when the connection is kept for its next request (still owned).
    [[nodiscard]] bool answer(const ConnectionPtr& connection, const RequestHead& head, std::string body);
    /// Answers at once and lingers; `pHead` is null when the head itself could not be framed.
    Framed refuse(transport::Connection& connection, const ApiResponse& response, const RequestHead* pHead);
    void startLinger(transport::Connection& connection);
    void linger(const ConnectionPtr& connection);
    /// Hands an owned connection back and re-arms its socket (an idle one a stop missed then lingers).
    void release(const ConnectionPtr& connection);
    /// Closes an owned connection: out of epoll and the table (the descriptor goes with the last reference).
    void close(const ConnectionPtr& connection);
    /// Takes a connection out of the table and its address's count; later calls do nothing.
    void forget(transport::Connection& connection);
    void setDeadline(transport::Connection& connection, Poco::Timespan from);
    [[nodiscard]] std::size_t readLimit(const transport::Connection& connection) const;
    [[nodiscard]] static ApiResponse framingProblem(int status, const std::string& detail);

    // The queue of requests the event thread framed (ConnectionTableWork.cpp).
    void enqueue(transport::Job job);
    [[nodiscard]] bool takeJob(transport::Job& job);
    void runJob(transport::Job& job);
    /// Wakes a waiting worker, or else a parked one, for a queued request.
    void wakeWorker();
    /// Counts this worker among those waiting on the sockets, unless as many as processors already are.
    [[nodiscard]] bool startWaiting();
    /// Why a parked worker goes on.
    enum class Unparked
    {
        ToWait,  ///< a socket is ready and no worker waited: counted waiting now
        ForAJob, ///< a request is queued
        Stopped, ///< the transport has stopped
    };
    /// Parks a worker that is not needed to wait on the sockets (in epoll_wait on the parking set).
    [[nodiscard]] Unparked park();
    /// The last waiting worker leaves: arms the parking set, or the event thread when none is parked.
    void callForHelp();
    void armParked();
    static void drainEventFd(int fd);
    void armEventThread();

    // A stop (ConnectionTableStop.cpp).
    [[nodiscard]] bool stopStep();
    void closeIdle();
    [[nodiscard]] std::size_t cutEverything();
    void finishStop(std::size_t cut);

    const RequestResponder& _responder;
    const TransportOptions& _options;
    const ApiResponse _busy; ///< the 503 a connection over a cap gets
    Poco::Logger& _log;
    int _listenFd;
    int _eventEpollFd;      ///< the event thread's: the listening socket, _wakeFd, and _connectionEpollFd when armed
    int _connectionEpollFd; ///< every connection, _jobsFd and _stoppedFd: what the workers wait on
    int _wakeFd;            ///< wakes the event thread
    int _jobsFd;            ///< wakes a worker for a queued request (edge-triggered)
    int _stoppedFd;         ///< readable once the event loop has ended: every worker returns
    int _parkingEpollFd;    ///< what parked workers wait on: _connectionEpollFd when armed, _parkedJobsFd, _stoppedFd
    int _parkedJobsFd;      ///< wakes a parked worker for a queued request (edge-triggered)
    Poco::Timestamp _lastExpiry;

    /// Guards _connections and _perAddress. Shared: a worker looks its connection up for every request, and
    /// a reader preempted while it holds the lock must not hold up the others.
    mutable std::shared_mutex _tableMutex;
    std::unordered_map<int, ConnectionPtr> _connections;
    std::map<std::string, int> _perAddress;

    std::mutex _jobMutex; ///< guards _jobs
    std::deque<transport::Job> _jobs;
    std::atomic<std::size_t> _jobCount{0};
    std::atomic<int> _idleWorkers{0}; ///< workers waiting in epoll_wait
    const int _maxWaiting;            ///< how many may (the processors, at least 2)
    std::atomic<int> _parked{0};      ///< workers waiting on the parking set
    std::atomic<bool> _stopping{false};

    transport::GracefulStop _stop;
};

} // namespace captrack::http
