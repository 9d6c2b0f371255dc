#include "captrack/storage/InstanceName.h"

#include <Poco/Environment.h>
#include <Poco/Process.h>
#include <Poco/Timestamp.h>

namespace captrack::storage
{

const std::string& instanceName()
{
    static const std::string name = Poco::Environment::nodeName() + ":" + std::to_string(Poco::Process::id()) + ":" +
                                    std::to_string(Poco::Timestamp().epochMicroseconds());
    return name;
}

} // namespace captrack::storage
