// The capture helper's line stream (it forwards wire bytes): fed whole and fed in pieces
// of a size the input chooses, the same events come out.

#include "fuzzcheck.h"
#include "observe/capturestream.h"

using namespace sockscope::core;
using namespace sockscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const QByteArrayView stream = bytes(data + 1, size - 1);

    CaptureStream whole;
    const QList<CaptureEvent> once = whole.feed(stream);
    CaptureStream split;
    QList<CaptureEvent> pieces;
    for (qsizetype at = 0; at < stream.size(); at += piece)
        pieces += split.feed(stream.sliced(at, std::min(piece, stream.size() - at)));
    check(once.size() == pieces.size(), "the same number of events whole and in pieces");
    for (qsizetype i = 0; i < once.size(); ++i) {
        check(once[i].kind == pieces[i].kind, "the same kinds whole and in pieces");
        check(once[i].packet.data == pieces[i].packet.data, "the same packet bytes whole and in pieces");
    }
    check(whole.hasPartialLine() == split.hasPartialLine(), "the same partial line whole and in pieces");
    return 0;
}
