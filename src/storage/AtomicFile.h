#pragma once

#include <string>

namespace captrack::storage
{

/// A file that appears in full or not at all, readable by its owner only. The bytes go to a new
/// temporary file next to the target (created exclusively, mode 0600); commit() writes them to the
/// disk (fsync), renames the file over the target and syncs the folder, so after a crash the target
/// is the old file or the whole new one. Destroying it uncommitted removes the temporary file. Writes
/// are buffered. Not shared between threads.
class AtomicFile
{
public:
    /// Creates the temporary file; throws Poco::CreateFileException when it cannot.
    explicit AtomicFile(std::string path);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Throws Poco::WriteFileException when the bytes cannot be written (disk full ...).
    void write(const std::string& bytes);
    /// Makes the file durable and puts it in place; throws Poco::WriteFileException when it cannot.
    void commit();

    [[nodiscard]] const std::string& path() const noexcept { return _path; }

private:
    void flushBuffer();
    [[noreturn]] void fail(const std::string& what) const;

    std::string _path;
    std::string _tempPath;
    std::string _buffer;
    int _fd = -1;
    bool _committed = false;
};

} // namespace captrack::storage
