#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/storage/Database.h"

#include <Poco/Timer.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace captrack::app
{

/// The periodic upkeep of the shared tables (expired sign-in failure counts, report permits of servers
/// that died): once per period across every server that shares the database, whichever claims the
/// period first (storage::claimJobPeriod, a row of `job_leases`). Each server checks every
/// CHECK_SECONDS whether a new period has begun. A failing task is logged and does not stop the others.
/// add() before start(); start() and stop() from one thread; the tasks run on its own thread.
class Housekeeping
{
public:
    static constexpr int PERIOD_SECONDS = 300;
    static constexpr long CHECK_SECONDS = 60;

    /// One piece of upkeep; returns how many rows it removed, for the log.
    using Task = std::function<std::size_t()>;

    Housekeeping(storage::Database& database, const domain::Clock& clock);
    ~Housekeeping();
    Housekeeping(const Housekeeping&) = delete;
    Housekeeping& operator=(const Housekeeping&) = delete;

    void add(std::string name, Task task);
    /// Runs every task when this server claims the current period; false when another server has it.
    bool runIfDue();
    /// Checks every CHECK_SECONDS on a timer thread until stop().
    void start();
    void stop();

private:
    void onTimer(Poco::Timer&);

    storage::Database& _database;
    const domain::Clock& _clock;
    std::vector<std::pair<std::string, Task>> _tasks;
    std::unique_ptr<Poco::Timer> _pTimer;
};

} // namespace captrack::app
