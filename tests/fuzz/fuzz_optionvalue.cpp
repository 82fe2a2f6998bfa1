// Socket option values as typed into the option editor or --opt NAME=VALUE: the first
// byte picks the option, the rest is the text. A value that parses formats to text that
// parses to the same value.

#include "fuzzcheck.h"
#include "net/optionvalue.h"
#include "net/socketoption.h"

using namespace sockscope::core;
using namespace sockscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const auto table = socketOptions();
    const SocketOption &row = table[data[0] % table.size()];
    const QString text = typed(data + 1, size - 1);
    QString error;
    (void)parseOptionAssignment(text, &error);
    const auto value = parseOptionValue(row, text);
    if (!value)
        return 0;
    (void)describeOptionValue(row, *value);
    (void)pythonOptionArgument(row, *value);
    const auto again = parseOptionValue(row, formatOptionValue(row, *value));
    check(again && *again == *value, "formatOptionValue's text parses to the same value");
    return 0;
}
