// ConnectionTable, continued: the workers' loop, and the queue of whole requests the event thread
// framed while every worker was busy.

#include "ConnectionTable.h"

#include <sys/epoll.h>
#include <unistd.h>

namespace captrack::http
{

void ConnectionTable::work()
{
    for (;;)
    {
        transport::Job job;
        if (takeJob(job))
        {
            runJob(job);
            continue;
        }
        // Counted waiting before looking at the queue once more, so that a request queued from now on
        // wakes this worker (wakeWorker), and one queued before is taken here.
        if (!startWaiting())
        {
            const Unparked why = park();
            if (why == Unparked::Stopped)
                return;
            if (why == Unparked::ForAJob)
                continue;
            _idleWorkers.fetch_add(1); // sent to wait on the sockets: it waits, bound or not
        }
        epoll_event event{};
        const int ready = _jobCount.load() > 0 ? 0 : ::epoll_wait(_connectionEpollFd, &event, 1, -1);
        // The last waiting worker leaves: the event thread reads the connections until one waits again.
        if (_idleWorkers.fetch_sub(1) == 1)
            armEventThread();
        if (ready <= 0)
            continue;
        const int fd = event.data.fd;
        if (fd == _stoppedFd)
            return;
        if (fd == _jobsFd)
        {
            std::uint64_t count = 0;
            [[maybe_unused]] const auto got = ::read(_jobsFd, &count, sizeof count);
            continue;
        }
        if (const auto connection = find(fd))
            onReady(connection, Role::Worker);
    }
}

bool ConnectionTable::startWaiting()
{
    // Every waiting worker a socket may wake costs a wake-up, and one woken for an event that a busy
    // worker took first on its way back wakes for nothing: as many waiting as there are processors
    // serve the sockets best. The others park until the event thread finds none waiting.
    int waiting = _idleWorkers.load();
    while (waiting < _maxWaiting)
        if (_idleWorkers.compare_exchange_weak(waiting, waiting + 1))
            return true;
    return false;
}

ConnectionTable::Unparked ConnectionTable::park()
{
    std::unique_lock<std::mutex> lock(_parkMutex);
    ++_parked;
    _parkChanged.wait(lock, [this] { return _unparks > 0 || _jobCount.load() > 0 || _workersStop; });
    --_parked;
    if (_workersStop)
        return Unparked::Stopped;
    if (_unparks == 0)
        return Unparked::ForAJob;
    --_unparks;
    return Unparked::ToWait;
}

bool ConnectionTable::unparkOne()
{
    std::lock_guard<std::mutex> lock(_parkMutex);
    if (_parked <= _unparks)
        return false;
    ++_unparks;
    _parkChanged.notify_one();
    return true;
}

void ConnectionTable::enqueue(transport::Job job)
{
    {
        std::lock_guard<std::mutex> lock(_jobMutex);
        _jobs.push_back(std::move(job));
        _jobCount.store(_jobs.size());
    }
    wakeWorker();
}

bool ConnectionTable::takeJob(transport::Job& job)
{
    if (_jobCount.load() == 0)
        return false;
    bool more = false;
    {
        std::lock_guard<std::mutex> lock(_jobMutex);
        if (_jobs.empty())
            return false;
        job = std::move(_jobs.front());
        _jobs.pop_front();
        _jobCount.store(_jobs.size());
        more = !_jobs.empty();
    }
    if (more)
        wakeWorker();
    return true;
}

void ConnectionTable::runJob(transport::Job& job)
{
    const ConnectionPtr connection = std::move(job.connection);
    if (connection->forgotten.load()) // cut by a stop while it waited: its handler must not run
        return close(connection);
    if (answer(connection, job.head, std::move(job.body)))
        serve(connection, Role::Worker);
}

void ConnectionTable::wakeWorker()
{
    if (_idleWorkers.load() == 0)
    {
        // None waits on the sockets: a parked one takes the request, or else the next one to finish,
        // before it waits.
        unparkOne();
        return;
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(_jobsFd, &one, sizeof one);
}

void ConnectionTable::armEventThread()
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLONESHOT;
    event.data.fd = _connectionEpollFd;
    ::epoll_ctl(_eventEpollFd, EPOLL_CTL_MOD, _connectionEpollFd, &event);
}

} // namespace captrack::http
