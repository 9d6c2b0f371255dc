#pragma once

// Private to src/storage.

#include "NativeStatement.h"

#include <Poco/Data/Session.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

namespace captrack::storage
{

/// The prepared statements of one pooled session, by their SQL text: each is prepared on the session's
/// first use of its SQL and executed again on later ones. A statement that is in use is not handed out
/// twice (a nested use of the same SQL gets a statement of its own). Bounded: past CAPACITY distinct
/// texts (SQL built with literal values) the least recently prepared ones are dropped.
///
/// A cache belongs to its PooledSession and so to one thread at a time. The registry that finds the
/// cache of a session (of()) is safe for every thread.
class StatementCache
{
public:
    static constexpr std::size_t CAPACITY = 96;

    /// Registers the cache of `session` (which must outlive it).
    explicit StatementCache(Poco::Data::Session& session);
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    /// The cache of a pooled session; null for a session that is not pooled (a test's, a command's own).
    [[nodiscard]] static StatementCache* of(const Poco::Data::Session& session);

    /// Whether a statement handed back is kept for the next use of its SQL.
    enum class Keep
    {
        Yes,
        No, ///< it failed: kept only where the driver's reset clears a failure (SQLite); on MySQL its
            ///< connection-side state is not to be trusted (after a Galera abort mid-result the next
            ///< execution waited for the old result's packets, forever)
    };

    /// A statement for `sql`, not in use by anyone else; hand it back with release().
    [[nodiscard]] NativeStatement* acquire(std::string_view sql);
    void release(NativeStatement* pStatement, Keep keep = Keep::Yes) noexcept;
    /// Finalizes every statement (before the session closes).
    void clear() noexcept;
    /// How many statements are cached.
    [[nodiscard]] std::size_t size() const noexcept { return _entries.size(); }

private:
    struct Entry
    {
        std::unique_ptr<NativeStatement> pStatement;
        std::uint64_t preparedAt = 0;
        bool inUse = false;
    };

    void evictOldest();

    Poco::Data::Session& _session;
    std::unordered_map<std::string, Entry> _entries;
    std::unordered_map<NativeStatement*, Entry*> _byStatement;
    std::uint64_t _prepared = 0;
};

} // namespace captrack::storage
