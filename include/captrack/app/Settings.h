#pragma once

#include <Poco/Util/LayeredConfiguration.h>

#include <map>
#include <string>

namespace captrack::app
{

/// The settings every deployment needs (DESIGN.md "Command line and configuration") with their
/// defaults. Precedence, lowest first: these defaults, the properties file, CAPTRACK_<KEY>
/// environment variables (`db.url` -> CAPTRACK_DB_URL), `--set key=value`.
class Settings
{
public:
    /// Every known key and its default.
    [[nodiscard]] static const std::map<std::string, std::string>& defaults();
    /// The environment variable that overrides a key.
    [[nodiscard]] static std::string environmentName(const std::string& key);

    /// Adds the defaults and the environment layers to an application's configuration.
    static void addLayers(Poco::Util::LayeredConfiguration& config);
    /// Adds one `--set key=value`; throws Poco::InvalidArgumentException for a malformed pair.
    static void addOverride(Poco::Util::LayeredConfiguration& config, const std::string& pair);
};

} // namespace captrack::app
