#include "cmasim/util/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>

namespace cmasim::util {

namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path, int err) {
    throw std::runtime_error("cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

/// Closes a descriptor and removes the temporary file unless released (RAII cleanup on error).
class TempFile {
  public:
    TempFile(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (fd_ >= 0) ::close(fd_);
        if (!path_.empty()) ::unlink(path_.c_str());
    }
    int fd() const { return fd_; }
    const std::filesystem::path& path() const { return path_; }
    /// Close the descriptor, reporting the error (close can report a delayed write error).
    int close() {
        const int rc = ::close(fd_);
        fd_ = -1;
        return rc;
    }
    /// The file has been renamed into place: nothing to remove any more.
    void release() { path_.clear(); }

  private:
    int fd_;
    std::filesystem::path path_;
};

/// Create a fresh temporary file next to `target`. Mode 0666 so the umask applies, as it would
/// for an ordinary file; O_EXCL so two writers never share one.
TempFile create_temp(const std::filesystem::path& target) {
    std::random_device device;
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string name = "." + target.filename().string() + ".tmp." +
                                 std::to_string(::getpid()) + "." + std::to_string(device());
        std::filesystem::path temp = target.parent_path() / name;
        const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) return TempFile(fd, std::move(temp));
        if (errno != EEXIST) fail("create a temporary file for", target, errno);
    }
    fail("create a temporary file for", target, EEXIST);
}

void write_all(int fd, std::string_view content, const std::filesystem::path& target) {
    while (!content.empty()) {
        const ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            fail("write", target, errno);
        }
        content.remove_prefix(static_cast<std::size_t>(n));
    }
}

/// fsync the directory holding `target` so the rename is durable. Best effort: some file
/// systems refuse to fsync directories, which does not make the file itself less whole.
void sync_directory(const std::filesystem::path& target) {
    const std::filesystem::path dir =
        target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path();
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, std::string_view content) {
    if (path.filename().empty()) fail("write", path, EISDIR);
    TempFile temp = create_temp(path);
    write_all(temp.fd(), content, path);
    if (::fsync(temp.fd()) != 0) fail("flush", path, errno);
    if (temp.close() != 0) fail("close", path, errno);
    if (::rename(temp.path().c_str(), path.c_str()) != 0) fail("replace", path, errno);
    temp.release();
    sync_directory(path);
}

}  // namespace cmasim::util
