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
        // Counted idle before looking at the queue once more, so that a request queued from now on
        // wakes this worker (wakeWorker), and one queued before is taken here.
        _idleWorkers.fetch_add(1);
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
        return; // none waits: the next one to finish takes the request before it waits
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
