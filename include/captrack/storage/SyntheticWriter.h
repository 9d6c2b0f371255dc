#pragma once

#include <Poco/Data/Session.h>
#include <Poco/Nullable.h>
#include <Poco/Types.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace captrack::storage
{

namespace synthetic
{

using Poco::Int64;
using OptionalText = Poco::Nullable<std::string>;

// One struct per table, its columns as the database stores them (names of the domain's closed sets as
// text). The writer sets version to 1 and updated_at to created_at, as for a record just created
// through the API.
struct ProjectRow
{
    std::string code, title, kind;
    OptionalText description;
    std::string area, status, visibility, start, end;
    Int64 budget = 0;
    OptionalText declared, reason;
    std::string createdAt;
};

struct ObjectiveRow
{
    Int64 projectId = 0;
    std::string code;
};

struct MilestoneRow
{
    Int64 projectId = 0;
    std::string title, baseline;
    OptionalText forecast, actual;
    std::string status;
    Int64 progress = 0, weight = 1;
    std::string createdAt;
};

struct ContributionRow
{
    Int64 projectId = 0, partnerId = 0;
    std::string role, kind, state;
    Int64 amount = 0;
    double personMonths = 0;
    OptionalText description;
    std::string createdAt;
};

struct MissionLinkRow
{
    Int64 projectId = 0, missionId = 0;
    std::string relation;
    OptionalText note;
    std::string createdAt;
};

/// The reference data synthetic rows point at, each in code order (so draws do not depend on ids).
struct Reference
{
    std::vector<Int64> partnerIds;
    std::vector<Int64> missionIds;
    std::vector<std::string> areas;
    std::vector<std::string> objectives;
};

} // namespace synthetic

/// Writes synthetic projects and their rows straight to the tables (app::SyntheticSeeder) with prepared
/// multi-row INSERTs that are re-executed whenever a buffer is full: one round trip per statement rather
/// than per row, which is what matters on MariaDB. Runs on the caller's session, in its transaction;
/// throws the driver's exceptions. One writer per batch, used by one thread.
class SyntheticWriter
{
public:
    explicit SyntheticWriter(Poco::Data::Session& session);
    ~SyntheticWriter();
    SyntheticWriter(const SyntheticWriter&) = delete;
    SyntheticWriter& operator=(const SyntheticWriter&) = delete;

    /// Partners and missions by id, capability areas and objectives by code, each in code order.
    [[nodiscard]] static synthetic::Reference loadReference(Poco::Data::Session& session);
    /// The codes of the projects whose code starts with `SYN-`.
    [[nodiscard]] static std::vector<std::string> syntheticProjectCodes(Poco::Data::Session& session);

    /// Inserts the projects (in one or more statements) and returns each one's id by its code.
    [[nodiscard]] std::unordered_map<std::string, Poco::Int64> insertProjects(
        std::vector<synthetic::ProjectRow> projects);
    /// Buffers one row of a project (its projectId set); flush() writes what is still buffered.
    void add(synthetic::ObjectiveRow row);
    void add(synthetic::MilestoneRow row);
    void add(synthetic::ContributionRow row);
    void add(synthetic::MissionLinkRow row);
    void flush();

private:
    struct Buffers;
    /// The child tables' writers, prepared on the first add (after insertProjects, as the original order).
    Buffers& buffers();

    Poco::Data::Session& _session;
    std::unique_ptr<Buffers> _buffers;
};

} // namespace captrack::storage
