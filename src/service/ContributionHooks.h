#pragma once

// Folder-private: the contribution's write hooks (Catalogue).

#include "captrack/service/Resource.h"

namespace captrack::service
{

/// Keeps the project's contribution roll-ups current (storage::RollupStore) in the write's transaction,
/// having taken the project's turn first. Stateless; thread-safe; throws the driver's exceptions.
class ContributionHooks : public WriteHooks
{
public:
    void lockFirst(Poco::Data::Session& session, const WriteTarget& target) const override;
    void afterWrite(Poco::Data::Session& session, const WriteContext& context, const domain::Record& after,
                    const domain::Record* before) const override;
    void afterDelete(Poco::Data::Session& session, const WriteContext& context,
                     const domain::Record& before) const override;
};

} // namespace captrack::service
