#pragma once

#include "captrack/domain/Record.h"
#include "captrack/storage/Database.h"

#include <Poco/Data/Session.h>

#include <optional>
#include <string>
#include <vector>

namespace captrack::storage
{

/// A baseline as stored (table baselines).
struct BaselineRow
{
    Poco::Int64 projectId = 0;
    std::string name;
    std::string reason;
    std::optional<Poco::Int64> createdBy; ///< none for the server's own writes
    std::string createdAt;
};

/// One milestone's dates as a baseline keeps them (table baseline_items).
struct BaselineItemRow
{
    Poco::Int64 milestoneId = 0;
    std::string title;
    std::string baselineDate;
    std::string previousBaselineDate;
    std::optional<std::string> forecastDate;
    std::optional<std::string> actualDate;
    std::string status;
};

/// Named baselines of a project and their items (docs/DOMAIN.md "baseline"). Every call runs on the
/// caller's session (and so in its transaction) and throws the driver's exceptions. Records read back
/// hold each column under its name: whole numbers as Poco::Int64, text as std::string, NULL as an empty
/// Var. Keeps only the dialect's last-insert-id statement: safe for concurrent use.
class BaselineStore
{
public:
    explicit BaselineStore(const Database& database);

    /// True when the project already has a baseline of this name (a plain read, not locking).
    [[nodiscard]] bool nameTaken(Poco::Data::Session& session, Poco::Int64 projectId, const std::string& name) const;
    /// Inserts the baseline and returns its id; none when the unique key refuses it (a concurrent
    /// request took the name meanwhile).
    [[nodiscard]] std::optional<Poco::Int64> insert(Poco::Data::Session& session, const BaselineRow& row) const;
    /// Appends one item to a baseline.
    void addItem(Poco::Data::Session& session, Poco::Int64 baselineId, const BaselineItemRow& item) const;
    /// The project's baselines, oldest first: id, project_id, name, reason, created_by, created_at.
    [[nodiscard]] std::vector<domain::Record> baselinesOf(Poco::Data::Session& session, Poco::Int64 projectId) const;
    /// The project's baseline with this id, if any (same fields).
    [[nodiscard]] std::optional<domain::Record> baselineById(Poco::Data::Session& session, Poco::Int64 projectId,
                                                             Poco::Int64 id) const;
    /// The project's baseline with this name, if any (same fields).
    [[nodiscard]] std::optional<domain::Record> baselineByName(Poco::Data::Session& session, Poco::Int64 projectId,
                                                               const std::string& name) const;
    /// A baseline's items by milestone id: milestone_id, title, baseline_date, previous_baseline_date,
    /// forecast_date, actual_date, status.
    [[nodiscard]] std::vector<domain::Record> itemsOf(Poco::Data::Session& session, Poco::Int64 baselineId) const;

private:
    std::string _lastInsertIdSql;
};

/// The rows of an executed statement as records (the convention of BaselineStore), for the stores.
[[nodiscard]] std::vector<domain::Record> rowsAsRecords(Poco::Data::Statement& statement);

} // namespace captrack::storage
