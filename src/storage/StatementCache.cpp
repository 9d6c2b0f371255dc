#include "StatementCache.h"

#include <mutex>
#include <shared_mutex>

namespace captrack::storage
{

std::unique_ptr<NativeStatement> prepareSqlite(Poco::Data::Session& session, std::string_view sql);
std::unique_ptr<NativeStatement> prepareMysql(Poco::Data::Session& session, std::string_view sql);

std::unique_ptr<NativeStatement> prepareNative(Poco::Data::Session& session, std::string_view sql)
{
    if (session.connector() == "sqlite")
        return prepareSqlite(session, sql);
    return prepareMysql(session, sql);
}

namespace
{
/// Which session has which cache. Sessions are opened and closed rarely, looked up on every statement:
/// a reader-writer lock whose readers never wait for each other.
struct Registry
{
    std::shared_mutex mutex;
    std::unordered_map<const Poco::Data::Session*, StatementCache*> caches;
};

Registry& registry()
{
    static Registry instance;
    return instance;
}
} // namespace

StatementCache::StatementCache(Poco::Data::Session& session) : _session(session)
{
    auto& all = registry();
    std::unique_lock<std::shared_mutex> lock(all.mutex);
    all.caches[&session] = this;
}

StatementCache::~StatementCache()
{
    {
        auto& all = registry();
        std::unique_lock<std::shared_mutex> lock(all.mutex);
        all.caches.erase(&_session);
    }
    clear();
}

StatementCache* StatementCache::of(const Poco::Data::Session& session)
{
    auto& all = registry();
    std::shared_lock<std::shared_mutex> lock(all.mutex);
    const auto it = all.caches.find(&session);
    return it == all.caches.end() ? nullptr : it->second;
}

NativeStatement* StatementCache::acquire(std::string_view sql)
{
    const std::string key(sql);
    auto it = _entries.find(key);
    if (it != _entries.end() && !it->second.inUse)
    {
        it->second.inUse = true;
        return it->second.pStatement.get();
    }
    auto pStatement = prepareNative(_session, sql);
    if (it != _entries.end())
        return pStatement.release(); // the cached one is busy (a nested use): an uncached one, deleted on release
    if (_entries.size() >= CAPACITY)
        evictOldest();
    auto& entry = _entries[key];
    entry.pStatement = std::move(pStatement);
    entry.preparedAt = ++_prepared;
    entry.inUse = true;
    _byStatement[entry.pStatement.get()] = &entry;
    return entry.pStatement.get();
}

void StatementCache::release(NativeStatement* pStatement, Keep keep) noexcept
{
    pStatement->reset();
    const auto it = _byStatement.find(pStatement);
    if (it == _byStatement.end())
    {
        delete pStatement;
        return;
    }
    if (keep == Keep::Yes || pStatement->reusableAfterFailure())
    {
        it->second->inUse = false;
        return;
    }
    // Finalized (sqlite3_finalize, mysql_stmt_close); the next use of its SQL prepares it again.
    for (auto entry = _entries.begin(); entry != _entries.end(); ++entry)
        if (&entry->second == it->second)
        {
            _byStatement.erase(it);
            _entries.erase(entry);
            return;
        }
}

void StatementCache::evictOldest()
{
    auto oldest = _entries.end();
    for (auto it = _entries.begin(); it != _entries.end(); ++it)
        if (!it->second.inUse && (oldest == _entries.end() || it->second.preparedAt < oldest->second.preparedAt))
            oldest = it;
    if (oldest == _entries.end())
        return;
    _byStatement.erase(oldest->second.pStatement.get());
    _entries.erase(oldest);
}

void StatementCache::clear() noexcept
{
    _byStatement.clear();
    _entries.clear();
}

} // namespace captrack::storage
