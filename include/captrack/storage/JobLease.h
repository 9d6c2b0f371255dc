#pragma once

#include "captrack/storage/Database.h"

#include <string>

namespace captrack::storage
{

/// Claims a scheduled job's period for one server among all that share the database (table
/// `job_leases`): of any number of servers asking for the same job and period, exactly one is told yes,
/// on SQLite, MariaDB and across a Galera cluster (a concurrent claim on another node fails
/// certification and counts as not claimed). periodStart must grow from one period to the next.
[[nodiscard]] bool claimJobPeriod(Database& database, const std::string& job, Poco::Int64 periodStart);

} // namespace captrack::storage
