// loadOrCreateSecret: the HMAC key of session tokens, kept in a file only its owner may read.

#include "captrack/service/SecretFile.h"

#include "captrack/service/Crypto.h"

#include <Poco/FileStream.h>
#include <Poco/Format.h>
#include <Poco/String.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace captrack::service
{

namespace
{
/// Creates each missing directory of `directory` with mode 0700 (whatever the umask); leaves
/// existing ones as they are.
void createPrivateDirectories(const std::filesystem::path& directory)
{
    std::filesystem::path partial;
    for (const auto& part : directory)
    {
        partial /= part;
        if (std::filesystem::exists(partial))
            continue;
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST)
            throw Poco::CreateFileException("cannot create the directory", partial.string());
        ::chmod(partial.c_str(), 0700);
    }
}

/// Creates the secret file, 0600, whole or not at all, unless another process has just created it
/// (then that one is read). The secret is written to a file of this process's own first and linked
/// into place: link() refuses an existing name, so of two instances starting at once one creates the
/// file and the other reads it, and neither ever reads it half written.
void createSecret(const std::string& path)
{
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    if (!parent.empty())
        createPrivateDirectories(parent);
    const std::string draft = path + ".new-" + std::to_string(::getpid()) + "-" + randomHex(4);
    const int fd = ::open(draft.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0)
        throw Poco::CreateFileException("cannot create the token secret file", draft);
    const std::string secret = randomHex(32) + "\n";
    const bool written = ::fchmod(fd, 0600) == 0 &&
                         ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size()) &&
                         ::fsync(fd) == 0;
    ::close(fd);
    const bool linked = written && (::link(draft.c_str(), path.c_str()) == 0 || errno == EEXIST);
    ::unlink(draft.c_str());
    if (!linked)
        throw Poco::WriteFileException("cannot write the token secret file", path);
}

/// Refuses a secret file that anyone but its owner may read or write, or that is not a regular file.
void checkPrivate(const std::string& path)
{
    struct stat info
    {
    };
    if (::stat(path.c_str(), &info) != 0)
        throw Poco::FileNotFoundException("cannot read the token secret file", path);
    if (!S_ISREG(info.st_mode))
        throw Poco::FileAccessDeniedException("the token secret file is not a regular file", path);
    const unsigned mode = static_cast<unsigned>(info.st_mode) & 0777U;
    if ((mode & 0077U) != 0)
        throw Poco::FileAccessDeniedException(Poco::format(
            "the token secret file %s has mode %s: group or others may read or write it, so session tokens could "
            "be forged. Make it private (chmod 600 %s) and, if it may have been read, replace it (delete it and "
            "restart: a new one is created and everyone signs in again)",
            path, Poco::format("0%o", mode), path));
}
} // namespace

std::string loadOrCreateSecret(const std::string& path)
{
    if (!std::filesystem::exists(path))
        createSecret(path);
    checkPrivate(path);
    Poco::FileInputStream in(path);
    std::string secret;
    std::getline(in, secret);
    secret = Poco::trim(secret);
    if (secret.size() < 32)
        throw Poco::DataFormatException("the token secret file holds fewer than 32 characters", path);
    return secret;
}

} // namespace captrack::service
