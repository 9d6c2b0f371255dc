#include "SqliteFiles.h"

#include <Poco/Exception.h>
#include <Poco/Format.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace captrack::storage
{

namespace
{
constexpr mode_t GROUP_AND_OTHERS = S_IRWXG | S_IRWXO;

[[noreturn]] void refuse(const std::string& what, const std::string& path)
{
    throw Poco::FileAccessDeniedException(what + " (" + std::strerror(errno) + ")", path);
}

/// mkdir -p of the folders of a file's path, each folder it creates owner-only.
void createPrivateFolders(const Poco::Path& folder)
{
    std::string path = folder.isAbsolute() ? "/" : "";
    for (int i = 0; i < folder.depth(); ++i)
    {
        path += folder[i] + "/";
        if (::mkdir(path.c_str(), S_IRWXU) != 0 && errno != EEXIST)
            refuse("cannot create the database folder", path);
    }
}

/// Removes group and others' bits from an existing file; false when there is no such file.
bool tightenIfLoose(const std::string& path)
{
    struct stat status;
    if (::stat(path.c_str(), &status) != 0)
        return false;
    if ((status.st_mode & GROUP_AND_OTHERS) == 0)
        return true;
    const mode_t tightened = status.st_mode & ~GROUP_AND_OTHERS & 07777;
    if (::chmod(path.c_str(), tightened) != 0)
        refuse("group or others may read or write the database file, and it cannot be made private", path);
    Poco::Logger::get("captrack.storage")
        .warning(Poco::format("%s was readable by group or others (mode %04o); made it owner-only (%04o)", path,
                              static_cast<unsigned>(status.st_mode & 07777), static_cast<unsigned>(tightened)));
    return true;
}
} // namespace

void makeSqliteFilesPrivate(const std::string& databasePath)
{
    createPrivateFolders(Poco::Path(databasePath));
    for (const char* suffix : {"-wal", "-shm"})
        tightenIfLoose(databasePath + suffix);
    if (tightenIfLoose(databasePath))
        return;
    // O_EXCL: of two processes opening a new database at once, one creates it and the other finds it.
    const int fd = ::open(databasePath.c_str(), O_WRONLY | O_CREAT | O_EXCL, S_IRUSR | S_IWUSR);
    if (fd >= 0)
        ::close(fd);
    else if (errno != EEXIST)
        refuse("cannot create the database file", databasePath);
}

} // namespace captrack::storage
