#pragma once

#include "captrack/Errors.h"

#include <string>

namespace captrack::service
{

/// The rule every new password meets, and the passwords captrack makes up itself. Stateless:
/// thread-safe.
class PasswordPolicy
{
public:
    /// Adds a field error on `password` unless the password is 10 to 200 characters.
    static void check(const std::string& password, FieldErrors& errors);
    /// A random password for people to type (24 characters); Poco::RuntimeException when no random
    /// bytes are available.
    [[nodiscard]] static std::string randomPassword();
};

} // namespace captrack::service
