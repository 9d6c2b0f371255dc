#include "captrack/app/Settings.h"

#include "captrack/app/ScheduleSettings.h"

#include "captrack/domain/StatusRules.h"
#include "captrack/http/HttpTransport.h"
#include "captrack/report/ReportGate.h"
#include "captrack/service/AuthOptions.h"
#include "captrack/service/LeadWorklist.h"
#include "captrack/service/MailOptions.h"
#include "captrack/service/Webhooks.h"

#include <Poco/AutoPtr.h>
#include <Poco/Environment.h>
#include <Poco/String.h>
#include <Poco/Util/MapConfiguration.h>

#include <sstream>

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

std::string text(long long value)
{
    return std::to_string(value);
}

/// Whole seconds as "30", a fraction as "2.5" (http.shutdown_grace_seconds takes fractions).
std::string seconds(const Poco::Timespan& span)
{
    if (span.totalMicroseconds() % Poco::Timespan::SECONDS == 0)
        return text(span.totalSeconds());
    std::ostringstream out;
    out << static_cast<double>(span.totalMicroseconds()) / Poco::Timespan::SECONDS;
    return out.str();
}

// The defaults of the settings that fill an option struct are that struct's member initialisers: each
// is written once, there. Settings that fill no struct have their default here.

void addHttpDefaults(std::map<std::string, std::string>& out)
{
    const http::TransportOptions http;
    out["http.address"] = http.address;
    out["http.port"] = text(http.port);
    out["http.threads"] = text(http.workers);
    out["http.queue"] = text(http.backlog);
    out["http.request_deadline_ms"] = text(http.requestDeadline.totalMilliseconds());
    out["http.idle_timeout_seconds"] = seconds(http.idleTimeout);
    out["http.max_connections"] = text(http.maxConnections);
    out["http.max_connections_per_address"] = text(http.maxConnectionsPerAddress);
    out["http.shutdown_grace_seconds"] = seconds(http.shutdownGrace);
    // GET /metrics: nobody until an address or a token is set (etc/captrack.properties says how).
    out["metrics.allow"] = "";
    out["metrics.token"] = "";
}

void addStorageDefaults(std::map<std::string, std::string>& out)
{
    out["db.url"] = "sqlite:var/captrack.db";
    out["db.pool.max"] = "64";
    out["paths.sql"] = "";
}

void addAuthDefaults(std::map<std::string, std::string>& out)
{
    const service::AuthOptions auth;
    out["auth.secret_file"] = "var/captrack.secret";
    out["auth.token_lifetime"] = text(auth.tokenLifetimeSeconds);
    out["auth.pbkdf2_iterations"] = text(auth.pbkdf2Iterations);
    out["auth.failure_delay_ms"] = text(auth.failureDelayMs);
    out["auth.max_user_failures"] = text(auth.maxUserFailures);
    out["auth.max_address_failures"] = text(auth.maxAddressFailures);
    out["auth.lockout_seconds"] = text(auth.lockoutSeconds);
}

void addStatusDefaults(std::map<std::string, std::string>& out)
{
    const domain::HealthThresholds health;
    out["health.red_overdue_days"] = text(health.redOverdueDays);
    out["health.red_slip_days"] = text(health.redSlipDays);
    out["health.amber_overdue_days"] = text(health.amberOverdueDays);
    out["health.amber_slip_days"] = text(health.amberSlipDays);
    out["reports.max_concurrent"] = text(static_cast<long long>(report::ReportLimits{}.maxConcurrent));
    const service::WorklistWindow worklist;
    out["lead.look_ahead_days"] = text(worklist.lookAheadDays);
    out["lead.stale_days"] = text(worklist.staleDays);
}

void addMailDefaults(std::map<std::string, std::string>& out)
{
    const service::MailOptions mail;
    out["mail.smtp.host"] = mail.smtp.host;
    out["mail.smtp.port"] = text(mail.smtp.port);
    out["mail.smtp.username"] = mail.smtp.username;
    out["mail.smtp.password"] = mail.smtp.password;
    out["mail.smtp.timeout_seconds"] = text(mail.smtp.timeoutSeconds);
    out["mail.sender"] = mail.smtp.sender;
    out["mail.starttls"] = service::startTlsName(mail.smtp.startTls);
    out["mail.smtp.ca_file"] = mail.smtp.caFile;
    out["mail.digest.weekday"] = service::weekdayName(mail.digest.weekday);
    out["mail.digest.hour_utc"] = text(mail.digest.hourUtc);
    out["mail.digest.period_seconds"] = text(mail.digest.periodSeconds);
    out["mail.web_base_url"] = mail.webBaseUrl;
    out["mail.poll_seconds"] = text(mail.pollSeconds);
    out["mail.retry_seconds"] = text(mail.retrySeconds);
}

void addWebhookDefaults(std::map<std::string, std::string>& out)
{
    const service::WebhookOptions webhooks;
    out["webhooks.deliver"] = webhooks.deliver ? "true" : "false";
    out["webhooks.retry_base_seconds"] = text(webhooks.retryBaseSeconds);
    out["webhooks.retry_cap_seconds"] = text(webhooks.retryCapSeconds);
    out["webhooks.max_attempts"] = text(webhooks.maxAttempts);
    out["webhooks.timeout_ms"] = text(webhooks.timeoutMs);
    out["webhooks.poll_ms"] = text(webhooks.pollMs);
}
} // namespace

const std::map<std::string, std::string>& Settings::defaults()
{
    static const std::map<std::string, std::string> values = [] {
        std::map<std::string, std::string> out;
        addHttpDefaults(out);
        addStorageDefaults(out);
        addAuthDefaults(out);
        addStatusDefaults(out);
        addScheduleDefaults(out);
        addMailDefaults(out);
        addWebhookDefaults(out);
        out["log.level"] = "information";
        return out;
    }();
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

long Settings::wholeNumberIn(const Poco::Util::AbstractConfiguration& config, const std::string& key, long min,
                             long max)
{
    const long value = config.getInt(key);
    if (value < min || value > max)
        throw Poco::InvalidArgumentException(key, "must be from " + std::to_string(min) + " to " + std::to_string(max));
    return value;
}

namespace
{
/// A setting that names one of a closed set; Poco::InvalidArgumentException naming it and the choices otherwise.
template <typename T>
T choiceSetting(const Poco::Util::AbstractConfiguration& config, const std::string& key,
                std::optional<T> (*parse)(const std::string&), const char* choices)
{
    const std::string value = config.getString(key);
    if (const auto parsed = parse(value))
        return *parsed;
    throw Poco::InvalidArgumentException(key, "must be one of " + std::string(choices) + ", not '" + value + "'");
}
} // namespace

service::MailOptions Settings::mailOptions(const Poco::Util::AbstractConfiguration& config)
{
    service::MailOptions mail;
    mail.smtp.host = config.getString("mail.smtp.host");
    mail.smtp.port = static_cast<Poco::UInt16>(wholeNumberIn(config, "mail.smtp.port", 1, 65535));
    mail.smtp.username = config.getString("mail.smtp.username");
    mail.smtp.password = config.getString("mail.smtp.password");
    mail.smtp.timeoutSeconds = wholeNumberIn(config, "mail.smtp.timeout_seconds", 1, 600);
    mail.smtp.sender = config.getString("mail.sender");
    mail.smtp.startTls = choiceSetting(config, "mail.starttls", &service::startTlsMode, "auto, required, off");
    mail.smtp.caFile = config.getString("mail.smtp.ca_file");
    mail.digest.weekday = choiceSetting(config, "mail.digest.weekday", &service::weekdayNumber, "monday .. sunday");
    mail.digest.hourUtc = static_cast<int>(wholeNumberIn(config, "mail.digest.hour_utc", 0, 23));
    mail.digest.periodSeconds = wholeNumberIn(config, "mail.digest.period_seconds", 0, 366L * 86400);
    mail.webBaseUrl = config.getString("mail.web_base_url");
    while (!mail.webBaseUrl.empty() && mail.webBaseUrl.back() == '/')
        mail.webBaseUrl.pop_back(); // links add "/#/..."
    mail.pollSeconds = wholeNumberIn(config, "mail.poll_seconds", 1, 3600);
    mail.retrySeconds = wholeNumberIn(config, "mail.retry_seconds", 1, service::MailOptions::MAX_RETRY_SECONDS);
    if (mail.enabled() && mail.smtp.sender.empty())
        throw Poco::InvalidArgumentException("mail.sender", "is required when mail.smtp.host is set");
    return mail;
}

} // namespace captrack::app
