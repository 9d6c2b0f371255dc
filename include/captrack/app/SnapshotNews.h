#pragma once

#include "captrack/report/SnapshotService.h"
#include "captrack/service/MailOutbox.h"

#include <string>

namespace captrack::app
{

/// The mail the reviewers get when a snapshot is published (issue 14): its name and date, and what
/// changed since the snapshot before it (the Markdown form of GET /reports/changes, readable as plain
/// text), with a link to the web page's Snapshots. Queued in the publication's transaction
/// (service::MailOutbox::enqueueToReviewers: once per snapshot and reviewer; nothing while mail is off).
[[nodiscard]] report::SnapshotService::Published mailToReviewers(const service::MailOutbox& outbox,
                                                                 std::string webBaseUrl);

/// The `snapshot.published` webhook event, queued in the publication's transaction for every endpoint
/// that subscribes without a project filter (service::Webhooks::enqueue): `data` is the snapshot (id,
/// name, as_of, group_by, filters, published_at, content_hash, schedule_period) and how many changes of
/// each kind there are since the snapshot before it (null for the first).
[[nodiscard]] report::SnapshotService::Published snapshotWebhook();

} // namespace captrack::app
