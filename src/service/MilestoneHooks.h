#pragma once

#include "captrack/service/Resource.h"

namespace captrack::service
{

/// Milestone rules that need the database: dependencies name milestones of the same project and
/// form no cycle (storage::DependencyStore); every change of dates, status or progress is appended to
/// the milestone's history (storage::HistoryStore). Runs in the write's transaction; stateless and
/// thread-safe. check() adds FieldErrors for `depends_on`; all calls throw the driver's exceptions.
class MilestoneHooks : public WriteHooks
{
public:
    void check(Poco::Data::Session& session, const WriteContext& context, const domain::Record& after,
               const domain::Record* before, FieldErrors& errors) const override;
    void afterWrite(Poco::Data::Session& session, const WriteContext& context, const domain::Record& after,
                    const domain::Record* before) const override;
    void afterDelete(Poco::Data::Session& session, const WriteContext& context,
                     const domain::Record& before) const override;
};

} // namespace captrack::service
