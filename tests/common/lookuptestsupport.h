#pragma once

// Shared by the resolver tests: python3 as the oracle, and the guards that keep every
// lookup on this machine.

#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>

#include <arpa/inet.h>
#include <sys/socket.h>

namespace sockscope::tests {

// Runs `python3 -c script`, feeding `input` to its stdin, and parses its stdout as one
// JSON document. On failure the document is null and *error says why (stderr included).
// Python starts slowly on some machines: batch every case of a test into one run.
inline QJsonDocument runPython(const QString &script, const QByteArray &input, QString *error)
{
    QProcess py;
    py.start(QStringLiteral("python3"), {QStringLiteral("-c"), script});
    py.write(input);
    py.closeWriteChannel();
    if (!py.waitForFinished(60000) || py.exitStatus() != QProcess::NormalExit || py.exitCode() != 0) {
        *error = QStringLiteral("python3 failed (exit %1): %2")
                     .arg(py.exitCode())
                     .arg(QString::fromUtf8(py.readAllStandardError()));
        return {};
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(py.readAllStandardOutput(), &parseError);
    if (doc.isNull())
        *error = QStringLiteral("python3 printed no JSON: ") + parseError.errorString();
    return doc;
}

// AF_INET or AF_INET6 for a numeric address (its bytes in *packed), AF_UNSPEC otherwise.
inline int numericFamily(const QString &text, QByteArray *packed = nullptr)
{
    QByteArray buf(16, '\0');
    const QByteArray t = text.toLatin1();
    int family = AF_UNSPEC;
    if (inet_pton(AF_INET, t.constData(), buf.data()) == 1) {
        family = AF_INET;
        buf.truncate(4);
    } else if (inet_pton(AF_INET6, t.constData(), buf.data()) == 1) {
        family = AF_INET6;
    }
    if (packed)
        *packed = family == AF_UNSPEC ? QByteArray() : buf;
    return family;
}

// The fields of each /etc/hosts line (address, names...), comments dropped.
inline QList<QStringList> hostsFileLines()
{
    QList<QStringList> lines;
    QFile hosts(QStringLiteral("/etc/hosts"));
    if (!hosts.open(QIODevice::ReadOnly | QIODevice::Text))
        return lines;
    static const QRegularExpression space(QStringLiteral("\\s+"));
    while (!hosts.atEnd()) {
        const QString line = QString::fromUtf8(hosts.readLine());
        const QStringList fields = line.left(line.indexOf(u'#')).split(space, Qt::SkipEmptyParts);
        if (fields.size() >= 2)
            lines.append(fields);
    }
    return lines;
}

// True when /etc/hosts answers `name` for `family` (AF_UNSPEC: any address). A name that
// the hosts file does not answer goes to DNS: a test must not send that query.
inline bool hostsFileHas(const QString &name, int family)
{
    for (const QStringList &fields : hostsFileLines()) {
        if (!fields.mid(1).contains(name, Qt::CaseInsensitive))
            continue;
        const int f = numericFamily(fields[0]);
        if (f != AF_UNSPEC && (family == AF_UNSPEC || family == f))
            return true;
    }
    return false;
}

// True when /etc/hosts names `address`, so that its reverse lookup never reaches DNS.
inline bool hostsFileNames(const QString &address)
{
    QByteArray wanted;
    if (numericFamily(address, &wanted) == AF_UNSPEC)
        return false;
    for (const QStringList &fields : hostsFileLines()) {
        QByteArray packed;
        if (numericFamily(fields[0], &packed) != AF_UNSPEC && packed == wanted)
            return true;
    }
    return false;
}

} // namespace sockscope::tests
