#include "captrack/storage/ReferenceNames.h"

#include <Poco/Data/Statement.h>

#include <vector>

namespace captrack::storage
{

using namespace Poco::Data::Keywords;

namespace
{
const char* tableName(ReferenceTable table)
{
    switch (table)
    {
    case ReferenceTable::Frameworks:
        return "frameworks";
    case ReferenceTable::Partners:
        return "partners";
    case ReferenceTable::CapabilityAreas:
        return "capability_areas";
    case ReferenceTable::Objectives:
        return "objectives";
    case ReferenceTable::Missions:
        return "missions";
    }
    return "frameworks";
}
} // namespace

std::map<std::string, std::string> ReferenceNames::of(Poco::Data::Session& session, ReferenceTable table)
{
    std::vector<std::string> codes, names;
    session << "SELECT code, name FROM " + std::string(tableName(table)), into(codes), into(names), now;
    std::map<std::string, std::string> labels;
    for (std::size_t i = 0; i < codes.size(); ++i)
        labels[codes[i]] = names[i];
    return labels;
}

} // namespace captrack::storage
