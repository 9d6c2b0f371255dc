#pragma once

#include "captrack/domain/Principal.h"
#include "captrack/domain/Record.h"
#include "captrack/service/MailOptions.h"
#include "captrack/service/ResourceService.h"

#include <Poco/JSON/Object.h>

#include <optional>

namespace captrack::service
{

/// A user's own reminder settings (GET and PATCH /api/v1/me/reminders): the user's `email` and
/// `email_reminders` fields, and the schedule the server mails on. Any signed-in user reads and changes
/// their own (an admin changes anyone's through PATCH /users/{id}); nothing else of the user changes
/// here. Stateless apart from references: safe for concurrent use.
class ReminderSettings
{
public:
    ReminderSettings(const ResourceService& resources, const MailOptions& options, long lookAheadDays);

    /// {"email", "email_reminders", "version", "mail_enabled", "digest": {...}}.
    [[nodiscard]] Poco::JSON::Object::Ptr show(const domain::Principal& principal) const;
    /// Changes the caller's `email` and/or `email_reminders` under the user's version (If-Match or
    /// `version`), validated and audited like PATCH /users/{id}; ValidationError for any other field.
    Poco::JSON::Object::Ptr change(const domain::Principal& principal, const domain::Record& input,
                                   std::optional<Poco::Int64> expectedVersion) const;

private:
    [[nodiscard]] Poco::JSON::Object::Ptr settingsOf(const domain::Record& user) const;

    const ResourceService& _resources;
    MailOptions _options;
    long _lookAheadDays;
};

} // namespace captrack::service
