#include "clijson.h"

#include "net/payloadcodec.h"

#include <QJsonDocument>

#include <cstdio>

namespace sockscope::cli {

QJsonValue errorJson(const core::SysError &error)
{
    QJsonObject o{
        {QStringLiteral("code"), error.code()},
        {QStringLiteral("name"), error.name()},
        {QStringLiteral("message"), error.message()},
    };
    if (const QString hint = error.hint(); !hint.isEmpty())
        o.insert(QStringLiteral("hint"), hint);
    return o;
}

void putBytes(QJsonObject &object, QByteArrayView bytes)
{
    object.insert(QStringLiteral("bytes"), bytes.size());
    object.insert(QStringLiteral("text"), QString::fromUtf8(bytes));
    object.insert(QStringLiteral("hex"), QString::fromLatin1(bytes.toByteArray().toHex()));
}

void printJsonLine(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

QString escapedText(QByteArrayView bytes)
{
    return core::PayloadCodec::escape(bytes);
}

int usageError(const QString &message)
{
    std::fprintf(stderr, "sockscope-cli: %s\n", qPrintable(message));
    return ExitUsage;
}

} // namespace sockscope::cli
