#include "kernelgroups.h"

#include <QFile>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

namespace sockscope::core {

namespace {

QList<QByteArrayView> fields(QByteArrayView line)
{
    QList<QByteArrayView> out;
    qsizetype i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == ':'))
            ++i;
        const qsizetype start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != ':')
            ++i;
        if (i > start)
            out << line.sliced(start, i - start);
    }
    return out;
}

QString ntop(int family, const void *address)
{
    char text[INET6_ADDRSTRLEN] = {};
    return inet_ntop(family, address, text, sizeof text) ? QString::fromLatin1(text) : QString();
}

QByteArray readAll(const char *path)
{
    QFile file(QString::fromLatin1(path));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

QList<KernelGroup> KernelGroups::parseIgmp(const QByteArray &text)
{
    QList<KernelGroup> groups;
    int ifindex = 0;
    QString interface;
    for (const QByteArray &line : text.split('\n')) {
        if (line.trimmed().isEmpty() || line.startsWith("Idx"))
            continue;
        const auto f = fields(line);
        if (line[0] != ' ' && line[0] != '\t') {
            bool ok = false;
            ifindex = f.isEmpty() ? 0 : f[0].toInt(&ok);
            interface = ok && f.size() > 1 ? QString::fromLatin1(f[1]) : QString();
            continue;
        }
        bool ok = false;
        const quint32 raw = f.isEmpty() ? 0 : quint32(f[0].toUInt(&ok, 16));
        if (!ok || interface.isEmpty())
            continue;
        in_addr address{};
        address.s_addr = raw; // printed from the __be32 as a host-order number
        groups << KernelGroup{ifindex, interface, ntop(AF_INET, &address), f.size() > 1 ? f[1].toInt() : 0};
    }
    return groups;
}

QList<KernelGroup> KernelGroups::parseIgmp6(const QByteArray &text)
{
    QList<KernelGroup> groups;
    for (const QByteArray &line : text.split('\n')) {
        const auto f = fields(line);
        if (f.size() < 4 || f[2].size() != 32)
            continue;
        const QByteArray bytes = QByteArray::fromHex(f[2].toByteArray());
        if (bytes.size() != 16)
            continue;
        in6_addr address{};
        std::memcpy(&address, bytes.constData(), 16);
        groups << KernelGroup{f[0].toInt(), QString::fromLatin1(f[1]), ntop(AF_INET6, &address), f[3].toInt()};
    }
    return groups;
}

QList<KernelGroup> KernelGroups::read()
{
    return parseIgmp(readAll("/proc/thread-self/net/igmp")) + parseIgmp6(readAll("/proc/thread-self/net/igmp6"));
}

} // namespace sockscope::core
