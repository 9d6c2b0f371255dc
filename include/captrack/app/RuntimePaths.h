#pragma once

#include <string>

namespace captrack::app
{

/// Where the installed captrack keeps its files (cmake/Package.cmake, docs/PACKAGING.md): the binary,
/// the settings file and the SQL folder (migrations and seed data). A value.
struct InstallLayout
{
    std::string binary;     ///< /usr/bin/captrack in the Debian package
    std::string configFile; ///< /etc/captrack/captrack.properties
    std::string sqlRoot;    ///< /usr/share/captrack/sql

    /// The layout this build installs (CMake's install prefix and GNUInstallDirs). Thread-safe.
    [[nodiscard]] static InstallLayout ofThisBuild();
};

/// Where a command reads its settings and its SQL folder when neither `--config FILE` nor `paths.sql`
/// names one. The installed binary (the file at InstallLayout::binary) reads the installed ones from any
/// working directory, so `captrack user add` run by an operator finds the service's settings. Any other
/// binary (a build tree's) reads the developer's: etc/captrack.properties under the working directory,
/// and ./sql when it holds sql/sqlite, else the source tree's sql/. A value.
struct RuntimePaths
{
    std::string configFile;
    std::string sqlRoot;
    bool installed = false;

    /// The paths of the binary at `executable` (empty: unknown, so not installed) under `layout`. Symbolic
    /// links are resolved on both sides (/bin/captrack on a merged-/usr system is the installed binary).
    /// Looks at the file system and the working directory; throws nothing but std::bad_alloc.
    [[nodiscard]] static RuntimePaths of(const std::string& executable, const InstallLayout& layout);
    /// The paths of this process's binary (/proc/self/exe) under InstallLayout::ofThisBuild().
    [[nodiscard]] static RuntimePaths ofThisProcess();
};

} // namespace captrack::app
