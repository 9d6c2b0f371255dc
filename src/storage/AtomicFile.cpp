#include "AtomicFile.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace captrack::storage
{

namespace
{
constexpr std::size_t BUFFER_BYTES = 1 << 20;

std::string folderOf(const std::string& path)
{
    const std::string parent = Poco::Path(path).parent().toString();
    return parent.empty() ? std::string(".") : parent;
}
} // namespace

AtomicFile::AtomicFile(std::string path) : _path(std::move(path))
{
    std::vector<char> pattern(_path.begin(), _path.end());
    const std::string suffix = ".partial-XXXXXX";
    pattern.insert(pattern.end(), suffix.begin(), suffix.end());
    pattern.push_back('\0');
    // mkostemp creates the file exclusively with mode 0600 whatever the umask; fchmod says so outright.
    _fd = ::mkostemp(pattern.data(), O_CLOEXEC);
    if (_fd < 0)
        throw Poco::CreateFileException(_path, std::strerror(errno));
    _tempPath = pattern.data();
    if (::fchmod(_fd, S_IRUSR | S_IWUSR) != 0)
        fail("cannot make it private");
    _buffer.reserve(BUFFER_BYTES);
}

AtomicFile::~AtomicFile()
{
    if (_fd >= 0)
        ::close(_fd);
    if (!_committed && !_tempPath.empty())
        ::unlink(_tempPath.c_str());
}

void AtomicFile::fail(const std::string& what) const
{
    throw Poco::WriteFileException(_tempPath, what + ": " + std::strerror(errno));
}

void AtomicFile::write(const std::string& bytes)
{
    _buffer += bytes;
    if (_buffer.size() >= BUFFER_BYTES)
        flushBuffer();
}

void AtomicFile::flushBuffer()
{
    std::size_t done = 0;
    while (done < _buffer.size())
    {
        const ssize_t written = ::write(_fd, _buffer.data() + done, _buffer.size() - done);
        if (written < 0 && errno == EINTR)
            continue;
        if (written < 0)
            fail("cannot write");
        done += static_cast<std::size_t>(written);
    }
    _buffer.clear();
}

void AtomicFile::commit()
{
    flushBuffer();
    if (::fsync(_fd) != 0)
        fail("cannot sync");
    if (::close(_fd) != 0)
    {
        _fd = -1;
        fail("cannot close");
    }
    _fd = -1;
    if (::rename(_tempPath.c_str(), _path.c_str()) != 0)
        fail("cannot rename it to " + _path);
    _committed = true;
    // The rename is durable once the folder's entry is on the disk.
    const int folder = ::open(folderOf(_path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder < 0)
        throw Poco::WriteFileException(_path,
                                       std::string("cannot open its folder to sync it: ") + std::strerror(errno));
    const int synced = ::fsync(folder);
    const int error = errno;
    ::close(folder);
    if (synced != 0)
        throw Poco::WriteFileException(_path, std::string("cannot sync its folder: ") + std::strerror(error));
}

} // namespace captrack::storage
