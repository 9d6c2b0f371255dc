#pragma once

#include "captrack/http/RequestTarget.h"
#include "captrack/http/Router.h"
#include "captrack/report/MilestoneCalendar.h"
#include "captrack/service/CalendarFeeds.h"

#include <string>

namespace captrack::http
{

/// Adds the signed-in `/me/calendar` (GET: whether a live feed exists; POST: makes or replaces it and
/// answers its URL once; DELETE: revokes it) and the public `GET /calendar/{feed}` (the feed itself,
/// `text/calendar`; 404 alike for anything that is not a live feed). docs/HTTP.md "Calendar feeds". The
/// services must outlive the router.
void addCalendarApi(Router& router, const service::CalendarFeeds& feeds, const report::MilestoneCalendar& calendar,
                    const domain::Clock& clock);

} // namespace captrack::http
