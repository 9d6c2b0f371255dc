#include "GracefulStop.h"

#include <algorithm>
#include <chrono>

namespace captrack::http::transport
{

void GracefulStop::begin(Poco::Timespan grace)
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_begun)
        return;
    _begun = true;
    const Poco::Timestamp now;
    const Poco::Timestamp::TimeDiff room = Poco::Timestamp::TIMEVAL_MAX - now.epochMicroseconds();
    _graceEnds = grace.totalMicroseconds() >= room
                     ? Poco::Timestamp(Poco::Timestamp::TIMEVAL_MAX)
                     : now + std::max<Poco::Timestamp::TimeDiff>(0, grace.totalMicroseconds());
}

void GracefulStop::endGrace()
{
    std::lock_guard<std::mutex> lock(_mutex);
    if (_begun)
        _graceEnds = Poco::Timestamp();
}

bool GracefulStop::begun() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _begun;
}

bool GracefulStop::graceOver(const Poco::Timestamp& now) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _begun && _graceEnds <= now;
}

void GracefulStop::releaseListener()
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _listenerReleased = true;
    }
    _changed.notify_all();
}

void GracefulStop::waitUntilListenerReleased() const
{
    std::unique_lock<std::mutex> lock(_mutex);
    _changed.wait(lock, [this] { return _listenerReleased; });
}

void GracefulStop::finish(std::size_t cut)
{
    {
        std::lock_guard<std::mutex> lock(_mutex);
        _finished = true;
        _cut = cut;
    }
    _changed.notify_all();
}

bool GracefulStop::waitUntilFinished(Poco::Timespan timeout) const
{
    std::unique_lock<std::mutex> lock(_mutex);
    return _changed.wait_for(lock, std::chrono::microseconds(timeout.totalMicroseconds()),
                             [this] { return _finished; });
}

std::size_t GracefulStop::cut() const
{
    std::lock_guard<std::mutex> lock(_mutex);
    return _cut;
}

} // namespace captrack::http::transport
