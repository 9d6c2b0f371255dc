#pragma once

#include <Poco/Data/Session.h>

#include <map>
#include <string>

namespace captrack::storage
{

/// The reference tables whose rows have a code and a display name.
enum class ReferenceTable
{
    Frameworks,
    Partners,
    CapabilityAreas,
    Objectives,
    Missions
};

/// Display names of reference rows by code (the labels of a portfolio report's groups). Stateless; safe
/// for concurrent use on different sessions.
class ReferenceNames
{
public:
    /// Every row of `table`, name by code. Throws Poco::Data::DataException on a database error.
    [[nodiscard]] static std::map<std::string, std::string> of(Poco::Data::Session& session, ReferenceTable table);
};

} // namespace captrack::storage
