#pragma once

#include <string>

namespace captrack::storage
{

/// A name for this server process that no other process shares (host, process id, start time), for the
/// rows one server holds in shared tables (migration lock, report permits, job leases).
[[nodiscard]] const std::string& instanceName();

} // namespace captrack::storage
