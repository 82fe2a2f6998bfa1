#include "clijson.h"

#include "net/payloadcodec.h"

#include <QJsonArray>
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

void writeJsonLine(const QJsonObject &object)
{
    const QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
}

void printJsonLine(const QJsonObject &object)
{
    writeJsonLine(object);
    std::fflush(stdout);
}

namespace {

QByteArray orderedJson(const QJsonValue &value, const QStringList &keyOrder)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        QStringList keys = object.keys(); // alphabetical
        const auto rank = [&](const QString &key) {
            const qsizetype i = keyOrder.indexOf(key);
            return i < 0 ? keyOrder.size() : i;
        };
        std::stable_sort(keys.begin(), keys.end(),
                         [&](const QString &a, const QString &b) { return rank(a) < rank(b); });
        QByteArray out = "{";
        for (const QString &key : keys) {
            if (out.size() > 1)
                out += ',';
            out += orderedJson(key, keyOrder) + ':' + orderedJson(object.value(key), keyOrder);
        }
        return out + '}';
    }
    if (value.isArray()) {
        QByteArray out = "[";
        for (const QJsonValue &item : value.toArray()) {
            if (out.size() > 1)
                out += ',';
            out += orderedJson(item, keyOrder);
        }
        return out + ']';
    }
    // A scalar: let QJsonDocument write it (escapes, number format) inside an array.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

} // namespace

void printJsonLine(const QJsonObject &object, const QStringList &keyOrder)
{
    const QByteArray line = orderedJson(object, keyOrder) + '\n';
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

QString escapedText(QByteArrayView bytes)
{
    return core::PayloadCodec::escape(bytes);
}

int usageError(const QString &message)
{
    QString line = message;
    line.replace(u'\n', QStringLiteral("\\n")).replace(u'\r', QStringLiteral("\\r"));
    std::fprintf(stderr, "sockscope-cli: %s\n", qPrintable(line));
    return ExitUsage;
}

int reportCallError(const char *command, const core::SysError &error, bool json)
{
    if (json) {
        printJsonLine({{QStringLiteral("event"), QStringLiteral("error")}, {QStringLiteral("error"), errorJson(error)}});
        return ExitCallFailed;
    }
    std::fprintf(stderr, "sockscope-cli: %s: %s\n", command, qPrintable(error.toString()));
    if (!error.hint().isEmpty())
        std::fprintf(stderr, "hint: %s\n", qPrintable(error.hint()));
    return ExitCallFailed;
}

} // namespace sockscope::cli
