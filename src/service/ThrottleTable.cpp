#include "captrack/service/ThrottleTable.h"

#include "captrack/Errors.h"

#include <algorithm>
#include <limits>

namespace captrack::service
{

ThrottleTable::ThrottleTable(int limit, Poco::Timestamp::TimeDiff window, std::size_t capacity)
    : _limit(limit), _window(window), _capacity(std::max<std::size_t>(capacity, 1))
{
}

bool ThrottleTable::locked(const Entry& entry, Poco::Timestamp now) const
{
    return entry.failures >= _limit && now - entry.first < _window;
}

int ThrottleTable::secondsLeft(const Entry& entry, Poco::Timestamp now) const
{
    return static_cast<int>((_window - (now - entry.first)) / Poco::Timestamp::resolution()) + 1;
}

int ThrottleTable::retryAfter(const std::string& key, Poco::Timestamp now) const
{
    const auto it = _entries.find(key);
    if (it == _entries.end() || !locked(it->second, now))
        return 0;
    return secondsLeft(it->second, now);
}

void ThrottleTable::makeRoom(Poco::Timestamp now)
{
    int soonest = std::numeric_limits<int>::max();
    for (auto it = _recency.begin(); it != _recency.end(); ++it)
    {
        const auto entry = _entries.find(*it);
        if (!locked(entry->second, now))
        {
            _entries.erase(entry);
            _recency.erase(it);
            return;
        }
        soonest = std::min(soonest, secondsLeft(entry->second, now));
    }
    // Forgetting a locked key would hand its attacker a fresh set of guesses: refuse the newcomer instead.
    throw TooManyRequestsError("too many sign-ins are locked out at the moment; try again later", soonest);
}

void ThrottleTable::count(const std::string& key, Poco::Timestamp now)
{
    auto it = _entries.find(key);
    if (it == _entries.end())
    {
        if (_entries.size() >= _capacity)
            makeRoom(now);
        it = _entries.emplace(key, Entry{0, now, _recency.insert(_recency.end(), key)}).first;
    }
    Entry& entry = it->second;
    if (entry.failures == 0 || now - entry.first >= _window)
    {
        entry.failures = 0;
        entry.first = now;
    }
    ++entry.failures;
    _recency.splice(_recency.end(), _recency, entry.recency);
}

void ThrottleTable::uncount(const std::string& key)
{
    const auto it = _entries.find(key);
    if (it != _entries.end() && it->second.failures > 0)
        --it->second.failures;
}

void ThrottleTable::forget(const std::string& key)
{
    const auto it = _entries.find(key);
    if (it == _entries.end())
        return;
    _recency.erase(it->second.recency);
    _entries.erase(it);
}

} // namespace captrack::service
