// Why the station's store could not be opened or written, in words a person
// can act on. SQLite says "unable to open database file" for a folder that
// is read-only, missing or someone else's, and "disk I/O error" for a full
// disk or a file size limit; the file system knows which. Used by
// packline-stationd and the packline commands that open the store.
#pragma once

#include <string>

#include "packline/error.h"

namespace packline::station {

// A sentence saying what stands in the way of the store at `path`, or ""
// when nothing on the file system explains the failure. For a new store it
// asks the kernel by trying (creating and removing a probe file beside it:
// only the attempt says ENOSPC). An existing database file is never opened
// here: closing any descriptor of it drops every POSIX lock the process
// holds on it, and a daemon asks this while its store is open (SQLite's "How
// To Corrupt An SQLite Database File", 2.2). The kernel is asked with
// faccessat() for the effective user instead (EACCES, EROFS).
std::string store_path_problem(const std::string& path);

// `error` from opening or writing the store at `path`, with the reason the
// file system gives put first when it gives one.
Error explain_store_error(const std::string& path, const Error& error);

}  // namespace packline::station
