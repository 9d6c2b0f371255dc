#pragma once

#include <string>

namespace captrack::service
{

/// Reads the HMAC secret of session tokens from the file. An existing file that group or others may
/// read or write is refused (Poco::FileAccessDeniedException saying to `chmod 600` it). An absent one
/// is created with 32 random bytes as hex, mode 0600, in directories created 0700; of processes
/// creating it at once, one creates it and the others read it. Poco::DataFormatException when it holds
/// fewer than 32 characters. Thread-safe.
[[nodiscard]] std::string loadOrCreateSecret(const std::string& path);

} // namespace captrack::service
