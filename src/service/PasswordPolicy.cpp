#include "captrack/service/PasswordPolicy.h"

#include "captrack/service/Crypto.h"

namespace captrack::service
{

void PasswordPolicy::check(const std::string& password, FieldErrors& errors)
{
    if (password.size() < 10 || password.size() > 200)
        errors.push_back({"password", "must be 10 to 200 characters"});
}

std::string PasswordPolicy::randomPassword()
{
    return randomHex(12);
}

} // namespace captrack::service
