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
            const Unparked why = park(); // ToWait: counted waiting already
            if (why == Unparked::Stopped)
                return;
            if (why == Unparked::ForAJob)
                continue;
        }
        epoll_event event{};
        const int ready = _jobCount.load() > 0 ? 0 : ::epoll_wait(_connectionEpollFd, &event, 1, -1);
        if (_idleWorkers.fetch_sub(1) == 1)
            callForHelp();
        if (ready <= 0)
            continue;
        const int fd = event.data.fd;
        if (fd == _stoppedFd)
            return;
        if (fd == _jobsFd)
        {
            drainEventFd(_jobsFd);
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
    // serve the sockets best. The others park.
    int waiting = _idleWorkers.load();
    while (waiting < _maxWaiting)
        if (_idleWorkers.compare_exchange_weak(waiting, waiting + 1))
            return true;
    return false;
}

void ConnectionTable::callForHelp()
{
    // The last waiting worker leaves the sockets. Should one become ready, a parked worker goes to
    // them (the kernel wakes one of those waiting on the parking set); with none parked, every worker
    // is busy and the event thread reads the connections until one waits again.
    if (_parked.load() > 0)
        armParked();
    else
        armEventThread();
}

ConnectionTable::Unparked ConnectionTable::park()
{
    _parked.fetch_add(1);
    Unparked why = Unparked::ForAJob;
    if (_jobCount.load() == 0) // one queued from now on wakes a parked worker (wakeWorker)
    {
        epoll_event event{};
        while (::epoll_wait(_parkingEpollFd, &event, 1, -1) <= 0)
            ;
        if (event.data.fd == _stoppedFd)
            why = Unparked::Stopped;
        else if (event.data.fd == _parkedJobsFd)
            drainEventFd(_parkedJobsFd);
        else
            why = Unparked::ToWait;
    }
    // Counted waiting before it stops counting as parked, so that callForHelp() and this see each other.
    if (why == Unparked::ToWait)
        _idleWorkers.fetch_add(1);
    // The last parked worker leaves while none waits: the sockets must not go unwatched.
    if (_parked.fetch_sub(1) == 1 && _idleWorkers.load() == 0)
        armEventThread();
    return why;
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
    // None waits on the sockets: a parked worker takes the request (the edge stays until one parks and
    // takes it), or else the next one to finish, before it waits.
    const int fd = _idleWorkers.load() > 0 ? _jobsFd : _parkedJobsFd;
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(fd, &one, sizeof one);
}

void ConnectionTable::armEventThread()
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLONESHOT;
    event.data.fd = _connectionEpollFd;
    ::epoll_ctl(_eventEpollFd, EPOLL_CTL_MOD, _connectionEpollFd, &event);
}

void ConnectionTable::armParked()
{
    epoll_event event{};
    event.events = EPOLLIN | EPOLLONESHOT;
    event.data.fd = _connectionEpollFd;
    ::epoll_ctl(_parkingEpollFd, EPOLL_CTL_MOD, _connectionEpollFd, &event);
}

void ConnectionTable::drainEventFd(int fd)
{
    std::uint64_t count = 0;
    [[maybe_unused]] const auto got = ::read(fd, &count, sizeof count);
}

} // namespace captrack::http
