#pragma once

#include <Poco/Timestamp.h>

#include <list>
#include <string>
#include <unordered_map>

namespace captrack::service
{

/// Failed sign-in attempts counted per key (a username or a client address), for LoginThrottle. A key
/// with `limit` failures is locked until `window` has passed since its first failure. At most
/// `capacity` keys are tracked: a new key makes room by forgetting the least recently active key that
/// is not locked; a locked key is never forgotten, and when every tracked key is locked a new key is
/// refused (TooManyRequestsError) rather than tracked. Not thread-safe: LoginThrottle guards it.
class ThrottleTable
{
public:
    ThrottleTable(int limit, Poco::Timestamp::TimeDiff window, std::size_t capacity);

    /// Seconds until the key may try again at `now`; 0 when it is not locked.
    [[nodiscard]] int retryAfter(const std::string& key, Poco::Timestamp now) const;
    /// Counts one failure for the key (a new window when the last one has passed) and marks it the most
    /// recently active. TooManyRequestsError, counting nothing, when the key is new and the table is full
    /// of locked keys.
    void count(const std::string& key, Poco::Timestamp now);
    /// Takes back one failure of the key (an attempt that turned out to succeed).
    void uncount(const std::string& key);
    /// Forgets the key and its failures.
    void forget(const std::string& key);
    [[nodiscard]] std::size_t size() const noexcept { return _entries.size(); }

private:
    struct Entry
    {
        int failures = 0;
        Poco::Timestamp first;
        std::list<std::string>::iterator recency;
    };
    [[nodiscard]] bool locked(const Entry& entry, Poco::Timestamp now) const;
    [[nodiscard]] int secondsLeft(const Entry& entry, Poco::Timestamp now) const;
    /// Forgets the least recently active unlocked key; TooManyRequestsError when every key is locked.
    void makeRoom(Poco::Timestamp now);

    int _limit;
    Poco::Timestamp::TimeDiff _window;
    std::size_t _capacity;
    std::unordered_map<std::string, Entry> _entries;
    std::list<std::string> _recency; ///< least recently active first
};

} // namespace captrack::service
