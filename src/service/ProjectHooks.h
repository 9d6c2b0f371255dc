#pragma once

// Folder-private: the project's write hooks (Catalogue).

#include "captrack/service/Resource.h"

namespace captrack::service
{

/// Appends a row to the health history (storage::HistoryStore) whenever a project's declared health or
/// reason changes; gives a new project its (empty) report roll-up and removes a deleted one's
/// (storage::RollupStore). In the write's transaction. Stateless; thread-safe; throws the driver's
/// exceptions.
class ProjectHooks : public WriteHooks
{
public:
    void afterWrite(Poco::Data::Session& session, const WriteContext& context, const domain::Record& after,
                    const domain::Record* before) const override;
    void afterDelete(Poco::Data::Session& session, const WriteContext& context,
                     const domain::Record& before) const override;
};

} // namespace captrack::service
