// PayloadCodec: what the user types into the composer or --send (escapes, hex) and the
// peer's bytes shown back as text. Invariant: parseText(escape(b)) == b for any bytes.

#include "fuzzcheck.h"
#include "net/payloadcodec.h"

using namespace sockscope::core;
using namespace sockscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = typed(data, size);
    (void)PayloadCodec::parseText(text);
    (void)PayloadCodec::parseHex(text);
    (void)PayloadCodec::parse(text, PayloadMode::Text, LineEnding::CrLf);

    const QByteArray raw = bytes(data, size).toByteArray();
    for (EscapeStyle style : {EscapeStyle::Utf8, EscapeStyle::Ascii}) {
        const auto back = PayloadCodec::parseText(PayloadCodec::escape(raw, style));
        check(back && *back == raw, "parseText(escape(bytes)) == bytes");
    }
    qsizetype consumed = 0;
    const QString prefix = PayloadCodec::escape(raw, EscapeStyle::Utf8, 40, &consumed);
    check(consumed >= 0 && consumed <= raw.size(), "escape's prefix covers at most the bytes");
    const auto prefixBack = PayloadCodec::parseText(prefix);
    check(prefixBack && *prefixBack == raw.first(consumed), "an escaped prefix parses to the bytes it covers");
    const auto hexBack = PayloadCodec::parseHex(PayloadCodec::toHex(raw));
    check(hexBack && *hexBack == raw, "parseHex(toHex(bytes)) == bytes");
    (void)PayloadCodec::hexDump(raw);
    return 0;
}
