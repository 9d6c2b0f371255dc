#pragma once

#include "captrack/http/Router.h"
#include "captrack/service/ReminderSettings.h"

namespace captrack::http
{

/// Adds `GET` and `PATCH /api/v1/me/reminders` (signed in): the caller's own e-mail address, reminder
/// opt-out and the digest schedule (docs/OPERATING-mail.md). The settings service must outlive the router.
void addReminderApi(Router& router, const service::ReminderSettings& settings);

} // namespace captrack::http
