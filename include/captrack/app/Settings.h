#pragma once

#include "captrack/service/MailOptions.h"

#include <Poco/Util/LayeredConfiguration.h>

#include <map>
#include <string>

namespace captrack::app
{

/// The settings every deployment needs (README.md "Configuration", etc/captrack.properties) with
/// their defaults. Precedence, lowest first: these defaults, the properties file, CAPTRACK_<KEY>
/// environment variables (`db.url` -> CAPTRACK_DB_URL), `--set key=value`.
///
/// One source per default: a setting that fills an option struct (http::TransportOptions,
/// domain::HealthThresholds, report::ReportLimits, service::WorklistWindow, service::MailOptions) takes its
/// default from that struct's member initialiser; the others (db.*, paths.sql, log.level, auth.*) have theirs in
/// Settings.cpp. etc/captrack.properties shows the same values, checked by ShippedSettingsTest.
/// Static functions: defaults() and environmentName() are thread-safe; the others change the
/// configuration they are given, so call them before threads start.
class Settings
{
public:
    /// Every known key and its default, built once (thread-safe: a function-local static). Throws
    /// nothing but std::bad_alloc.
    [[nodiscard]] static const std::map<std::string, std::string>& defaults();
    /// The environment variable that overrides a key ("db.url" -> "CAPTRACK_DB_URL"). Thread-safe.
    [[nodiscard]] static std::string environmentName(const std::string& key);

    /// Adds the defaults and the environment layers to an application's configuration. Not
    /// thread-safe for the same configuration; call once at start.
    static void addLayers(Poco::Util::LayeredConfiguration& config);
    /// Adds one `--set key=value`; throws Poco::InvalidArgumentException for a malformed pair. Not
    /// thread-safe for the same configuration.
    static void addOverride(Poco::Util::LayeredConfiguration& config, const std::string& pair);

    /// A whole-number setting in [min, max]; Poco::InvalidArgumentException naming it otherwise.
    [[nodiscard]] static long wholeNumberIn(const Poco::Util::AbstractConfiguration& config, const std::string& key,
                                            long min, long max);
    /// The mail.* settings (docs/OPERATING-mail.md); Poco::InvalidArgumentException naming a bad one.
    [[nodiscard]] static service::MailOptions mailOptions(const Poco::Util::AbstractConfiguration& config);
};

} // namespace captrack::app
