// Address parsing: host, port and Unix path fields of every pane and every CLI argument.

#include "fuzzcheck.h"
#include "net/address.h"

using namespace sockscope::core;
using namespace sockscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = typed(data, size);
    if (auto port = Address::parsePort(text))
        check(Address::parsePort(QString::number(*port)) == port, "a parsed port parses back the same");
    if (auto parsed = Address::parse(text)) {
        (void)parsed->toString();
        (void)parsed->toPython();
    }
    if (auto ip = Address::ip(text, 80))
        check(ip->port() == 80, "ip() keeps the port");
    if (auto path = Address::unixPath(text))
        (void)path->toString();
    return 0;
}
