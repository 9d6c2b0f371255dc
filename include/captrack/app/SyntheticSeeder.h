#pragma once

#include "captrack/domain/Date.h"
#include "captrack/storage/Database.h"

#include <cstdint>
#include <iosfwd>
#include <string>

namespace captrack::app
{

/// How a synthetic portfolio is made.
struct SyntheticOptions
{
    /// The day the data is realistic for: milestones before it are mostly done, some are overdue
    /// or slipped, later ones are planned.
    domain::Date asOf = domain::Date::fromParts(2027, 3, 1);
    std::size_t projectsPerTransaction = 5000;
    std::uint32_t seed = 20270301; ///< project SYN-k is drawn from a generator seeded with (seed, k)
};

/// What a synthetic seeding run found and added.
struct SyntheticCounts
{
    std::size_t existing = 0; ///< SYN- projects already there
    std::size_t projects = 0; ///< added by this run (and the rows below with them)
    std::size_t objectiveLinks = 0;
    std::size_t milestones = 0;
    std::size_t contributions = 0;
    std::size_t missionLinks = 0;
    double seconds = 0;

    [[nodiscard]] std::size_t rows() const
    {
        return projects + objectiveLinks + milestones + contributions + missionLinks;
    }
};

/// Writes a large, realistic, made-up portfolio for benchmarks and demos: projects `SYN-000001`,
/// `SYN-000002`... with about ten milestones, three contributions, one to three objectives and half
/// a mission link each, referring to the partners, missions, capability areas and objectives already
/// loaded (Seeder::loadReference first). Every row satisfies the rules of domain/Specs.cpp.
///
/// It writes straight to the tables with prepared multi-row INSERTs that are re-executed, one
/// transaction per `projectsPerTransaction` projects, and so skips what ResourceService adds to an
/// API write: no audit events, no milestone history, no reference checks per row (the references
/// are drawn from the reference tables). Ids come from the database (AUTOINCREMENT /
/// AUTO_INCREMENT); the ids of a batch's projects are read back with one SELECT by code.
///
/// Deterministic: project SYN-k is the same on every run and database, however the run is split.
/// Re-runnable: seed(n) tops the SYN- projects up to n, continuing after the highest code.
/// Meant for a database nobody else writes to meanwhile. Not thread-safe (one run at a time).
class SyntheticSeeder
{
public:
    explicit SyntheticSeeder(storage::Database& database, SyntheticOptions options = {});
    SyntheticSeeder(const SyntheticSeeder&) = delete;
    SyntheticSeeder& operator=(const SyntheticSeeder&) = delete;

    /// Makes the number of SYN- projects `total` (adds none when there are that many already).
    /// Prints progress and rows/s to `progress` when given. Throws Poco::IllegalStateException when
    /// the reference data is missing, and the driver's exception when a write fails (the batch in
    /// flight is rolled back; earlier batches stay).
    SyntheticCounts seed(std::size_t total, std::ostream* progress = nullptr);

    /// The code of the k-th synthetic project (1-based), e.g. `SYN-000042`.
    [[nodiscard]] static std::string projectCode(std::size_t k);

private:
    storage::Database& _database;
    SyntheticOptions _options;
};

} // namespace captrack::app
