#include "captrack/domain/Principal.h"

namespace captrack::domain
{

const char* roleName(Role role)
{
    switch (role)
    {
    case Role::Admin:
        return "admin";
    case Role::Lead:
        return "lead";
    case Role::Reviewer:
        return "reviewer";
    case Role::Partner:
        return "partner";
    }
    return "unknown";
}

} // namespace captrack::domain
