#pragma once

// Folder-private to the HTTP transport.

#include "Connection.h"
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
/// nextJob() and handBack() are called by workers; requestStop() by anyone.
class ConnectionTable
{
public:
    ConnectionTable(const RequestResponder& responder, const TransportOptions& options, int listenFd);
    ~ConnectionTable();
    ConnectionTable(const ConnectionTable&) = delete;
    ConnectionTable& operator=(const ConnectionTable&) = delete;

    /// The event loop: returns once a stop was requested and every request received was answered.
    void run();
    void requestStop();
    [[nodiscard]] bool stopping();
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
    void answerAndLinger(const ConnectionPtr& connection, const ApiResponse& response, const std::string& version);
    void linger(const ConnectionPtr& connection);
    void close(const ConnectionPtr& connection);
    void adoptHandedBack();
    void expireDeadlines();
    void closeIdle();
    [[nodiscard]] std::size_t readLimit(const transport::Connection& connection) const;

    const RequestResponder& _responder;
    const TransportOptions& _options;
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
    std::size_t _handling = 0; ///< connections a worker holds or will hold (jobs queued)
    bool _stopping = false;
    bool _stopped = false;
};

} // namespace captrack::http
