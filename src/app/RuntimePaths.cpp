#include "captrack/app/RuntimePaths.h"

#include "captrack/InstallPaths.h"

#include <filesystem>
#include <system_error>

namespace captrack::app
{

namespace
{
/// The path with every symbolic link resolved as far as it exists; the path itself when even that fails.
std::filesystem::path resolved(const std::string& path)
{
    std::error_code error;
    auto real = std::filesystem::weakly_canonical(path, error);
    return error ? std::filesystem::path(path) : real;
}
} // namespace

InstallLayout InstallLayout::ofThisBuild()
{
    return InstallLayout{INSTALLED_BINARY, INSTALLED_CONFIG_FILE, INSTALLED_SQL_ROOT};
}

RuntimePaths RuntimePaths::of(const std::string& executable, const InstallLayout& layout)
{
    if (!executable.empty() && resolved(executable) == resolved(layout.binary))
        return RuntimePaths{layout.configFile, layout.sqlRoot, true};
    std::error_code error;
    const std::string sqlRoot = std::filesystem::is_directory("sql/sqlite", error)
                                    ? std::string("sql")
                                    : std::string(CAPTRACK_SOURCE_DIR) + "/sql";
    return RuntimePaths{"etc/captrack.properties", sqlRoot, false};
}

RuntimePaths RuntimePaths::ofThisProcess()
{
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    return of(error ? std::string() : self.string(), InstallLayout::ofThisBuild());
}

} // namespace captrack::app
