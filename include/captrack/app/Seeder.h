#pragma once

#include "captrack/domain/Clock.h"
#include "captrack/storage/Database.h"

#include <string>

namespace captrack::app
{

/// What a seeding run added.
struct SeedCounts
{
    int created = 0; ///< records created now
    int skipped = 0; ///< records (or demo projects) already there
};

/// Loads the shipped data through the same validation and audit as the API, as the system principal.
/// Both loads are re-runnable: what exists (by code) is left alone, so nothing is duplicated.
/// Not shared between threads (a command runs it once).
class Seeder
{
public:
    Seeder(storage::Database& database, const domain::Clock& clock, std::string seedFolder);

    /// Partners, missions, capability areas and objectives of `reference.json`.
    SeedCounts loadReference();
    /// The fictional portfolio of `demo.json`: projects with their milestones, contributions and
    /// mission links. A project whose code exists is skipped whole.
    SeedCounts loadDemo();

private:
    storage::Database& _database;
    const domain::Clock& _clock;
    std::string _seedFolder;
};

} // namespace captrack::app
