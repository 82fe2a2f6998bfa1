#pragma once

// A strict little pcapng reader for tests: it checks the structure a writer must get
// right (block lengths repeated, 32-bit padding, the byte-order magic, one interface)
// and gives back the packets, written independently of core::PcapngWriter.

#include "observe/segment.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QtEndian>

#include <optional>

namespace sockscope::tests {

struct PcapngFile
{
    int linkType = -1;
    quint32 snaplen = 0;
    QString interfaceName;
    int tsresol = 6; // the default when the option is absent: microseconds
    QList<core::CapturedPacket> packets;
};

inline std::optional<PcapngFile> readPcapng(const QByteArray &bytes, QString *why)
{
    const auto u16 = [&](qsizetype at) { return qFromLittleEndian<quint16>(bytes.constData() + at); };
    const auto u32 = [&](qsizetype at) { return qFromLittleEndian<quint32>(bytes.constData() + at); };
    PcapngFile file;
    bool sawSection = false;
    bool sawInterface = false;
    qsizetype at = 0;
    while (at < bytes.size()) {
        if (bytes.size() - at < 12) {
            *why = QStringLiteral("truncated block at %1").arg(at);
            return std::nullopt;
        }
        const quint32 type = u32(at);
        const quint32 length = u32(at + 4);
        if (length < 12 || length % 4 != 0 || at + length > bytes.size() || u32(at + length - 4) != length) {
            *why = QStringLiteral("bad block length %1 at %2").arg(length).arg(at);
            return std::nullopt;
        }
        const qsizetype body = at + 8;
        const qsizetype end = at + length - 4;
        // Options: code, length, value padded to 4; opt_endofopt closes the list.
        const auto options = [&](qsizetype from, auto &&onOption) {
            while (from + 4 <= end) {
                const quint16 code = u16(from);
                const quint16 len = u16(from + 2);
                if (code == 0)
                    return true;
                if (from + 4 + len > end)
                    return false;
                onOption(code, bytes.mid(from + 4, len));
                from += 4 + ((len + 3) & ~3);
            }
            return false;
        };
        if (!sawSection && type != 0x0A0D0D0A) {
            *why = QStringLiteral("does not start with a Section Header Block");
            return std::nullopt;
        }
        if (type == 0x0A0D0D0A) {
            if (u32(body) != 0x1A2B3C4D || u16(body + 4) != 1 || u16(body + 6) != 0) {
                *why = QStringLiteral("bad byte-order magic or version");
                return std::nullopt;
            }
            if (!options(body + 16, [](quint16, const QByteArray &) {})) {
                *why = QStringLiteral("section header options not closed");
                return std::nullopt;
            }
            sawSection = true;
        } else if (type == 1) {
            file.linkType = u16(body);
            file.snaplen = u32(body + 4);
            const bool closed = options(body + 8, [&](quint16 code, const QByteArray &value) {
                if (code == 2)
                    file.interfaceName = QString::fromUtf8(value);
                if (code == 9 && value.size() == 1)
                    file.tsresol = quint8(value[0]);
            });
            if (!closed) {
                *why = QStringLiteral("interface options not closed");
                return std::nullopt;
            }
            sawInterface = true;
        } else if (type == 6) {
            if (!sawInterface || u32(body) != 0) {
                *why = QStringLiteral("packet before its interface");
                return std::nullopt;
            }
            core::CapturedPacket p;
            const quint64 ts = (quint64(u32(body + 4)) << 32) | u32(body + 8);
            const quint32 caplen = u32(body + 12);
            p.origLen = u32(body + 16);
            if (body + 20 + caplen > end || caplen > p.origLen) {
                *why = QStringLiteral("packet data past its block");
                return std::nullopt;
            }
            p.data = bytes.mid(body + 20, caplen);
            p.wallNs = file.tsresol == 9 ? qint64(ts) : qint64(ts) * 1000;
            file.packets << p;
        }
        at += length;
    }
    if (!sawInterface) {
        *why = QStringLiteral("no interface");
        return std::nullopt;
    }
    return file;
}

} // namespace sockscope::tests
