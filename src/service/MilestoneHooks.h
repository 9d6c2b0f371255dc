#pragma once

#include "captrack/service/Resource.h"

namespace captrack::service
{

/// Milestone rules that need the database: dependencies name milestones of the same project and
/// form no cycle; every change of dates, status or progress is appended to milestone_history.
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

/// Appends a row to health_history whenever a project's declared health or reason changes.
class ProjectHooks : public WriteHooks
{
public:
    void afterWrite(Poco::Data::Session& session, const WriteContext& context, const domain::Record& after,
                    const domain::Record* before) const override;
};

} // namespace captrack::service
