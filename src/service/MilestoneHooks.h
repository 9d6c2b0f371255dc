#pragma once

#include "captrack/service/Resource.h"

namespace captrack::service
{

/// Milestone rules that need the database: dependencies name milestones of the same project and
/// form no cycle (storage::DependencyStore); every change of dates, status or progress is appended to
/// the milestone's history (storage::HistoryStore); the project's report roll-ups are recomputed
/// (storage::RollupStore), having taken the project's turn first. Runs in the write's transaction;
/// stateless and thread-safe. check() adds FieldErrors for `depends_on`; all calls throw the driver's
/// exceptions.
class MilestoneHooks : public WriteHooks
{
public:
    void lockFirst(Poco::Data::Session& session, const WriteTarget& target) const override;
    void check(Poco::Data::Session& session, const WriteContext& context, const domain::Record& after,
               const domain::Record* before, FieldErrors& errors) const override;
    void afterWrite(Poco::Data::Session& session, const WriteContext& context, const domain::Record& after,
                    const domain::Record* before) const override;
    void afterDelete(Poco::Data::Session& session, const WriteContext& context,
                     const domain::Record& before) const override;
};

} // namespace captrack::service
