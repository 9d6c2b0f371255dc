#pragma once

#include "captrack/http/Router.h"
#include "captrack/service/OutboxReader.h"
#include "captrack/service/ReminderSettings.h"

namespace captrack::http
{

/// Adds `GET` and `PATCH /api/v1/me/reminders` (signed in): the caller's own e-mail address, reminder
/// opt-out and the digest schedule; and `GET /api/v1/mail/outbox` (admins): what was sent and what waits
/// (docs/OPERATING-mail.md). The services must outlive the router.
void addMailApi(Router& router, const service::ReminderSettings& settings, const service::OutboxReader& outbox);

} // namespace captrack::http
