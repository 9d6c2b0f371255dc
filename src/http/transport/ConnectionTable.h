#pragma once

// Folder-private to the HTTP transport.

#include "Connection.h"
#include "GracefulStop.h"
#include "captrack/http/HttpTransport.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace captrack::http
{

/// The event loop of HttpTransport and the hand-over to its workers. run() is the event thread;
/// nextJob() and handBack() are called by workers; requestStop(), endGrace() and waitStopped() by
/// the thread that stops the transport (docs/HTTP.md "Stopping").
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
    /// Begins a graceful stop whose grace ends `grace` from now; returns once the event thread no
    /// longer watches the listening socket (the caller may close it). Later calls change nothing.
    void requestStop(Poco::Timespan grace);
    /// Ends the grace of a stop begun now: what is still unanswered is cut.
    void endGrace();
    [[nodiscard]] bool stopping() const { return _stop.begun(); }
    /// Waits up to `timeout` for the event loop to end; true once it has.
    [[nodiscard]] bool waitStopped(Poco::Timespan timeout) const { return _stop.waitUntilFinished(timeout); }
    /// The requests a finished stop cut.
    [[nodiscard]] std::size_t cut() const { return _stop.cut(); }
    /// Blocks until there is a request to answer; false when the transport has stopped.
    [[nodiscard]] bool nextJob(transport::Job& job);
    /// A worker is done with a connection.
    void handBack(std::shared_ptr<transport::Connection> connection, transport::Next next);

private:
    using ConnectionPtr = std::shared_ptr<transport::Connection>;

    void acceptAll();
    bool admit(const Poco::Net::SocketAddress& client, bool& counted);
    void watch(const ConnectionPtr& connection);
    void onReadable(const ConnectionPtr& connection);
    void frame(const ConnectionPtr& connection);
    void frameBody(const ConnectionPtr& connection);
    /// Answers at once and closes gracefully; `pHead` is null when the head itself could not be framed.
    void answerAndLinger(const ConnectionPtr& connection, const ApiResponse& response, const RequestHead* pHead);
    void linger(const ConnectionPtr& connection);
    void close(const ConnectionPtr& connection);
    void startLinger(const ConnectionPtr& connection);
    void adoptHandedBack();
    void expireDeadlines();
    [[nodiscard]] bool stopStep();
    void closeIdle();
    [[nodiscard]] std::size_t cutEverything();
    [[nodiscard]] std::size_t readLimit(const transport::Connection& connection) const;

    const RequestResponder& _responder;
    const TransportOptions& _options;
    const ApiResponse _busy; ///< the 503 a connection over a cap gets
    int _listenFd;
    int _epollFd;
    int _wakeFd;
    std::unordered_map<int, ConnectionPtr> _connections;
    std::map<std::string, int> _perAddress;
    Poco::Timestamp _lastExpiry;

    std::mutex _mutex; ///< guards what follows
    std::condition_variable _jobsReady;
    std::deque<transport::Job> _jobs;
    std::vector<std::pair<ConnectionPtr, transport::Next>> _handedBack;
    bool _stopped = false;

    transport::GracefulStop _stop;
};

} // namespace captrack::http
