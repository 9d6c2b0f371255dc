#include "captrack/service/AuditChanges.h"

#include <sstream>

namespace captrack::service
{

void AuditChanges::set(const std::string& field, const Poco::Dynamic::Var& before, const Poco::Dynamic::Var& after)
{
    Poco::JSON::Object::Ptr pair = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    pair->set("old", before);
    pair->set("new", after);
    _changes.set(field, pair);
}

std::string AuditChanges::json() const
{
    std::ostringstream text;
    _changes.stringify(text);
    return text.str();
}

} // namespace captrack::service
