#include "captrack/service/ReminderSettings.h"

#include "captrack/Errors.h"
#include "captrack/service/Catalogue.h"

namespace captrack::service
{

ReminderSettings::ReminderSettings(const ResourceService& resources, const MailOptions& options, long lookAheadDays)
    : _resources(resources), _options(options), _lookAheadDays(lookAheadDays)
{
}

Poco::JSON::Object::Ptr ReminderSettings::show(const domain::Principal& principal) const
{
    return settingsOf(_resources.get(principal, Catalogue::instance().users, principal.userId));
}

Poco::JSON::Object::Ptr ReminderSettings::change(const domain::Principal& principal, const domain::Record& input,
                                                 std::optional<Poco::Int64> expectedVersion) const
{
    FieldErrors errors;
    for (const auto& [key, value] : input)
        if (key != "email" && key != "email_reminders" && key != "version")
            errors.push_back({key, "cannot be changed here: send email and email_reminders only"});
    throwIfAny(errors);
    // Users may not write user records (AccessPolicy: admins only); these two fields of one's own record
    // are the exception, so the write runs as an admin would, in the caller's name (its audit event and
    // version are the user's), over the fields checked above.
    const domain::Principal self{principal.userId, principal.username, domain::Role::Admin, std::nullopt,
                                 principal.credential};
    return settingsOf(_resources.update(self, Catalogue::instance().users, principal.userId, input, expectedVersion));
}

Poco::JSON::Object::Ptr ReminderSettings::settingsOf(const domain::Record& user) const
{
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object;
    const auto email = domain::textField(user, "email");
    out->set("email", email ? Poco::Dynamic::Var(*email) : Poco::Dynamic::Var());
    out->set("email_reminders", domain::intField(user, "email_reminders").value_or(1) != 0);
    out->set("version", domain::intField(user, "version").value_or(0));
    out->set("mail_enabled", _options.enabled());
    Poco::JSON::Object::Ptr digest = new Poco::JSON::Object;
    digest->set("weekday", std::string(weekdayName(_options.digest.weekday)));
    digest->set("hour_utc", _options.digest.hourUtc);
    digest->set("look_ahead_days", _lookAheadDays);
    out->set("digest", digest);
    return out;
}

} // namespace captrack::service
