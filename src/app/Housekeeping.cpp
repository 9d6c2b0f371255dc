#include "captrack/app/Housekeeping.h"

#include "captrack/storage/JobLease.h"

#include <Poco/Logger.h>

namespace captrack::app
{

Housekeeping::Housekeeping(storage::Database& database, const domain::Clock& clock) : _database(database), _clock(clock)
{
}

Housekeeping::~Housekeeping()
{
    stop();
}

void Housekeeping::add(std::string name, Task task)
{
    _tasks.emplace_back(std::move(name), std::move(task));
}

bool Housekeeping::runIfDue()
{
    const Poco::Int64 period = static_cast<Poco::Int64>(_clock.now().epochTime()) / PERIOD_SECONDS;
    if (!storage::claimJobPeriod(_database, "housekeeping", period))
        return false;
    auto& log = Poco::Logger::get("captrack.housekeeping");
    for (const auto& [name, task] : _tasks)
    {
        try
        {
            const std::size_t removed = task();
            if (removed > 0)
                log.information("%s: %z rows removed", name, removed);
        }
        catch (const Poco::Exception& e)
        {
            log.warning("%s failed: %s", name, e.displayText());
        }
    }
    return true;
}

void Housekeeping::start()
{
    _pTimer = std::make_unique<Poco::Timer>(1000, CHECK_SECONDS * 1000);
    _pTimer->start(Poco::TimerCallback<Housekeeping>(*this, &Housekeeping::onTimer));
}

void Housekeeping::stop()
{
    if (_pTimer)
        _pTimer->stop();
    _pTimer.reset();
}

void Housekeeping::onTimer(Poco::Timer&)
{
    try
    {
        (void)runIfDue();
    }
    catch (const Poco::Exception& e)
    {
        Poco::Logger::get("captrack.housekeeping").warning("not run: " + e.displayText());
    }
}

} // namespace captrack::app
