#include "captrack/app/Settings.h"

#include <Poco/AutoPtr.h>
#include <Poco/Environment.h>
#include <Poco/String.h>
#include <Poco/Util/MapConfiguration.h>

namespace captrack::app
{

namespace
{
// Priorities of LayeredConfiguration: lower numbers are searched first.
constexpr int PRIO_OVERRIDES = -300;
constexpr int PRIO_ENVIRONMENT = -200;
constexpr int PRIO_DEFAULTS = 1000;

Poco::Util::MapConfiguration* overrides(Poco::Util::LayeredConfiguration& config)
{
    static const std::string label = "captrack.overrides";
    auto* existing = dynamic_cast<Poco::Util::MapConfiguration*>(config.find(label).get());
    if (existing)
        return existing;
    Poco::AutoPtr<Poco::Util::MapConfiguration> layer = new Poco::Util::MapConfiguration;
    config.add(layer, label, PRIO_OVERRIDES, false);
    return layer.get();
}
} // namespace

const std::map<std::string, std::string>& Settings::defaults()
{
    static const std::map<std::string, std::string> values{
        {"http.address", "127.0.0.1"},
        {"http.port", "8080"},
        {"http.threads", "32"},
        {"http.queue", "256"},
        {"http.request_deadline_ms", "5000"},
        {"http.idle_timeout_seconds", "15"},
        {"http.max_connections", "4096"},
        {"http.max_connections_per_address", "64"},
        {"http.shutdown_grace_seconds", "30"},
        {"db.url", "sqlite:var/captrack.db"},
        {"db.pool.max", "64"},
        {"auth.secret_file", "var/captrack.secret"},
        {"auth.token_lifetime", "28800"},
        {"auth.pbkdf2_iterations", "600000"},
        {"auth.failure_delay_ms", "200"},
        {"auth.max_user_failures", "5"},
        {"auth.max_address_failures", "20"},
        {"auth.lockout_seconds", "900"},
        {"health.red_overdue_days", "30"},
        {"health.red_slip_days", "90"},
        {"health.amber_overdue_days", "0"},
        {"health.amber_slip_days", "14"},
        {"reports.max_concurrent", "0"},
        {"lead.look_ahead_days", "30"},
        {"lead.stale_days", "28"},
        {"log.level", "information"},
        {"paths.sql", ""},
    };
    return values;
}

std::string Settings::environmentName(const std::string& key)
{
    std::string name = "CAPTRACK_" + Poco::toUpper(key);
    for (auto& c : name)
        if (c == '.')
            c = '_';
    return name;
}

void Settings::addLayers(Poco::Util::LayeredConfiguration& config)
{
    Poco::AutoPtr<Poco::Util::MapConfiguration> fallback = new Poco::Util::MapConfiguration;
    Poco::AutoPtr<Poco::Util::MapConfiguration> environment = new Poco::Util::MapConfiguration;
    for (const auto& [key, value] : defaults())
    {
        fallback->setString(key, value);
        const std::string name = environmentName(key);
        if (Poco::Environment::has(name))
            environment->setString(key, Poco::Environment::get(name));
    }
    config.add(fallback, "captrack.defaults", PRIO_DEFAULTS, false);
    config.add(environment, "captrack.environment", PRIO_ENVIRONMENT, false);
}

void Settings::addOverride(Poco::Util::LayeredConfiguration& config, const std::string& pair)
{
    const auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0)
        throw Poco::InvalidArgumentException("--set", "expected key=value, got '" + pair + "'");
    overrides(config)->setString(Poco::trim(pair.substr(0, eq)), pair.substr(eq + 1));
}

} // namespace captrack::app
