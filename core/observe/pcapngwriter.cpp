#include "pcapngwriter.h"

#include "atomicfile.h"

#include <QtEndian>

namespace sockscope::core {

namespace {

constexpr quint32 kSectionHeader = 0x0A0D0D0A;
constexpr quint32 kInterfaceDescription = 0x00000001;
constexpr quint32 kEnhancedPacket = 0x00000006;
constexpr quint32 kByteOrderMagic = 0x1A2B3C4D;
constexpr quint16 kOptEnd = 0;
constexpr quint16 kShbUserAppl = 4;
constexpr quint16 kIfName = 2;
constexpr quint16 kIfTsresol = 9;

void put16(QByteArray &out, quint16 v)
{
    char b[2];
    qToLittleEndian(v, b);
    out.append(b, 2);
}

void put32(QByteArray &out, quint32 v)
{
    char b[4];
    qToLittleEndian(v, b);
    out.append(b, 4);
}

void pad32(QByteArray &out)
{
    while (out.size() % 4 != 0)
        out.append('\0');
}

void putOption(QByteArray &out, quint16 code, QByteArrayView value)
{
    put16(out, code);
    put16(out, quint16(value.size()));
    out.append(value);
    pad32(out);
}

// type, total length, body, total length again.
void putBlock(QByteArray &out, quint32 type, const QByteArray &body)
{
    const quint32 total = quint32(12 + body.size());
    put32(out, type);
    put32(out, total);
    out.append(body);
    put32(out, total);
}

} // namespace

QByteArray PcapngWriter::encode(int linkType, int snaplen, const QString &interfaceName,
                                const QList<CapturedPacket> &packets)
{
    QByteArray out;
    QByteArray body;
    put32(body, kByteOrderMagic);
    put16(body, 1); // major
    put16(body, 0); // minor
    put32(body, 0xffffffff); // section length unknown (64-bit -1)
    put32(body, 0xffffffff);
    putOption(body, kShbUserAppl, "sockscope");
    putOption(body, kOptEnd, {});
    putBlock(out, kSectionHeader, body);

    body.clear();
    put16(body, quint16(linkType));
    put16(body, 0); // reserved
    put32(body, quint32(snaplen));
    if (!interfaceName.isEmpty())
        putOption(body, kIfName, interfaceName.toUtf8());
    putOption(body, kIfTsresol, QByteArrayView("\x09", 1)); // 10^-9 s
    putOption(body, kOptEnd, {});
    putBlock(out, kInterfaceDescription, body);

    for (const CapturedPacket &p : packets) {
        body.clear();
        const quint64 ts = quint64(p.wallNs);
        put32(body, 0); // interface id
        put32(body, quint32(ts >> 32));
        put32(body, quint32(ts & 0xffffffff));
        put32(body, quint32(p.data.size()));
        put32(body, qMax(p.origLen, quint32(p.data.size())));
        body.append(p.data);
        pad32(body);
        putBlock(out, kEnhancedPacket, body);
    }
    return out;
}

std::expected<void, SysError> PcapngWriter::writeFile(const QString &path, int linkType, int snaplen,
                                                      const QString &interfaceName,
                                                      const QList<CapturedPacket> &packets)
{
    return writeFileAtomically(path, encode(linkType, snaplen, interfaceName, packets));
}

} // namespace sockscope::core
