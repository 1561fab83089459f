#include "packline/station/store_problem.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

namespace packline::station {

namespace {

std::string reason_of(int error_number, const std::filesystem::path& what) {
    switch (error_number) {
        case EACCES:
        case EPERM:
            return "permission denied on " + what.string();
        case EROFS:
            return what.string() + " is on a read-only file system";
        case ENOSPC:
            return "no space left on the device that holds " + what.string();
        case EDQUOT:
            return "the disk quota is used up for " + what.string();
        case EFBIG:
            return "this process may not write " + what.string() +
                   " any further (its file size limit, ulimit -f)";
        default:
            return what.string() + ": " + std::strerror(error_number);
    }
}

}  // namespace

std::string store_path_problem(const std::string& path) {
    namespace fs = std::filesystem;
    const fs::path file(path);
    fs::path folder = file.parent_path();
    if (folder.empty()) folder = ".";
    std::error_code ignored;
    // The nearest folder that exists: the store creates the missing ones.
    while (!fs::exists(folder, ignored) && folder.has_parent_path() &&
           folder.parent_path() != folder)
        folder = folder.parent_path();
    if (fs::exists(file, ignored)) {
        if (::faccessat(AT_FDCWD, file.c_str(), R_OK | W_OK, AT_EACCESS) != 0)
            return reason_of(errno, file);
    } else {
        std::string probe = (folder / ".packline-probe-XXXXXX").string();
        const int fd = ::mkstemp(probe.data());
        if (fd < 0) return reason_of(errno, folder);
        ::close(fd);
        ::unlink(probe.c_str());
    }
    struct statvfs disk {};
    if (::statvfs(folder.c_str(), &disk) == 0 && disk.f_blocks > 0 && disk.f_bavail == 0)
        return reason_of(ENOSPC, folder);
    // Set by ulimit -f (or a service manager): writes beyond it fail with
    // EFBIG. The files may have shrunk since (a checkpoint, the log removed
    // at close), so the limit is named whenever there is one.
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        return "this process may not write files beyond " + std::to_string(limit.rlim_cur) +
               " bytes (its file size limit, ulimit -f)";
    return {};
}

Error explain_store_error(const std::string& path, const Error& error) {
    if (error.code.rfind("store.", 0) != 0) return error;
    const std::string problem = store_path_problem(path);
    if (problem.empty()) return error;
    return Error{error.code,
                 "the store " + path + " cannot be used: " + problem + " (" + error.message + ")"};
}

}  // namespace packline::station
