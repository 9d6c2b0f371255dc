#pragma once

#include "captrack/storage/Database.h"

#include <memory>
#include <mutex>

namespace captrack::storage
{

/// One write unit of work: leases a session, takes the database's write lock and begins a
/// transaction. commit() makes it durable; destroying it uncommitted rolls everything back, so an
/// exception anywhere in a write leaves nothing behind. Not shared between threads.
class Transaction
{
public:
    explicit Transaction(Database& database);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    [[nodiscard]] Poco::Data::Session& session() { return _pLease->session(); }
    [[nodiscard]] Database& database() { return _database; }
    void commit();

private:
    Database& _database;
    std::unique_lock<std::mutex> _writeLock;
    std::unique_ptr<SessionLease> _pLease;
    bool _open = false;
};

} // namespace captrack::storage
