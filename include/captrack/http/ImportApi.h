#pragma once

#include "captrack/http/Router.h"
#include "captrack/service/Importer.h"

namespace captrack::http
{

/// Adds `POST /api/v1/import/{kind}` (kind: projects, milestones or contributions; signed in; the body
/// `text/csv`, up to 1 MiB; `?dry_run=true` writes nothing): service::Importer's outcome. A dry run
/// answers 200 with every row's errors; a real run answers 200 when every row is written and 422
/// (problem+json, the same errors, nothing written) otherwise. docs/HTTP.md "Import". The importer must
/// outlive the router.
void addImportApi(Router& router, const service::Importer& importer);

/// The kind an import's path names; NotFoundError for any other.
[[nodiscard]] service::ImportKind importKind(const std::string& name);

} // namespace captrack::http
