#include "cmasim/report/output_dir.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "cmasim/report/manifest.h"

namespace cmasim::report {

namespace fs = std::filesystem;

namespace {

bool is_sweep_directory(const fs::path& dir) {
    return fs::exists(dir / ".journal") || manifest_command(dir) == "sweep";
}

/// Why `target` may not receive `command`'s output, or "" when it may.
std::string refusal(const fs::path& target, const std::string& command, bool force) {
    const std::string quoted = "'" + target.string() + "'";
    std::error_code ec;
    if (!fs::exists(target, ec)) return {};
    if (!fs::is_directory(target, ec)) return "--out " + quoted + " exists and is not a directory";
    if (is_sweep_directory(target)) {
        return "--out " + quoted + " holds a sweep; choose another --out directory";
    }
    if (force || fs::is_empty(target, ec) || manifest_command(target) == command) return {};
    const std::string owner = manifest_command(target);
    return "--out " + quoted + " holds " +
           (owner.empty() ? std::string("files that are not the output of a cmasim ") + command
                          : "the output of `cmasim " + owner + "`") +
           "; choose another --out directory, or add --force to replace it";
}

/// The process id in a staging directory's name ("....tmp-1234-5678"), or 0.
pid_t staging_owner(const std::string& name, const std::string& prefix) {
    if (name.rfind(prefix, 0) != 0) return 0;
    return static_cast<pid_t>(std::atol(name.c_str() + prefix.size()));
}

/// Temporary directories of `target` whose process is gone (killed midway) are removed.
void remove_abandoned(const fs::path& target) {
    const std::string prefix = staging_prefix(target);
    std::error_code ec;
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    for (const auto& entry : fs::directory_iterator(parent, ec)) {
        const pid_t pid = staging_owner(entry.path().filename().string(), prefix);
        if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), ec);
    }
}

fs::path create_staging(const fs::path& target) {
    std::random_device device;
    for (int attempt = 0; attempt < 100; ++attempt) {
        fs::path p = target.parent_path() / (staging_prefix(target) + std::to_string(::getpid()) +
                                             "-" + std::to_string(device()));
        std::error_code ec;
        if (fs::create_directory(p, ec)) return p;
        if (ec)
            throw OutputDirError("cannot create a directory beside '" + target.string() +
                                 "': " + ec.message());
    }
    throw OutputDirError("cannot create a temporary directory beside '" + target.string() + "'");
}

[[noreturn]] void fail_swap(const fs::path& from, const fs::path& to, int err) {
    throw std::runtime_error("cannot move " + from.string() + " to " + to.string() + ": " +
                             std::strerror(err));
}

void sync_parent(const fs::path& target) {
    const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

std::string staging_prefix(const fs::path& target) {
    return "." + target.filename().string() + ".tmp-";
}

StagedDirectory::StagedDirectory(fs::path target, std::string command, bool force)
    : target_(std::move(target)) {
    // "out/" names the directory "out": without the trailing separator the name is not empty.
    if (target_.filename().empty()) target_ = target_.parent_path();
    const std::string why = refusal(target_, command, force);
    if (!why.empty()) throw OutputDirError(why);
    std::error_code ec;
    if (target_.has_parent_path()) fs::create_directories(target_.parent_path(), ec);
    if (ec)
        throw OutputDirError("cannot create '" + target_.parent_path().string() +
                             "': " + ec.message());
    remove_abandoned(target_);
    staging_ = create_staging(target_);
}

StagedDirectory::~StagedDirectory() {
    std::error_code ec;
    if (!committed_) fs::remove_all(staging_, ec);
}

void StagedDirectory::commit() {
    if (!fs::exists(target_)) {
        if (::rename(staging_.c_str(), target_.c_str()) != 0) fail_swap(staging_, target_, errno);
    } else if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(),
                           RENAME_EXCHANGE) != 0) {
        // No atomic exchange on this file system: move the old one aside first. A kill between
        // the two renames leaves the old run beside the target, whole, under the staging prefix.
        if (errno != EINVAL && errno != ENOSYS) fail_swap(staging_, target_, errno);
        const fs::path aside = staging_.string() + "-old";
        if (::rename(target_.c_str(), aside.c_str()) != 0) fail_swap(target_, aside, errno);
        if (::rename(staging_.c_str(), target_.c_str()) != 0) fail_swap(staging_, target_, errno);
        staging_ = aside;
    }
    // After an exchange the staging path holds the previous directory: removed last.
    sync_parent(target_);
    std::error_code ec;
    fs::remove_all(staging_, ec);
    committed_ = true;
}

}  // namespace cmasim::report
