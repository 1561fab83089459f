// Temporary: replaced command by command as the station core lands.
#include <ostream>

#include "commands.h"

namespace packline::cli {
int orders_command(const Args&, std::ostream&, std::ostream& err) {
    err << "packline orders: not built yet\n";
    return 1;
}
int demo_command(const Args&, std::ostream&, std::ostream& err) {
    err << "packline demo: not built yet\n";
    return 1;
}
int status_command(const Args&, std::ostream&, std::ostream& err) {
    err << "packline status: not built yet\n";
    return 1;
}
}  // namespace packline::cli
