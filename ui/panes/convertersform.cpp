#include "convertersform.h"

#include "widgets/accessiblelabel.h"
#include "widgets/formhelpers.h"

#include "net/address.h"
#include "net/converters.h"
#include "net/payloadcodec.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

QLineEdit *resultField(QWidget *parent, const QString &name, const QString &tip)
{
    auto *edit = new QLineEdit(parent);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    describe(edit, name, tip);
    return edit;
}

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    return label;
}

QString hex(QByteArrayView bytes)
{
    return PayloadCodec::toHex(bytes);
}

} // namespace

ConvertersForm::ConvertersForm(QWidget *parent)
    : QWidget(parent)
{
    // Addresses: text -> packed bytes, and back.
    m_text = new QLineEdit(QStringLiteral("127.1"), this);
    m_text->setObjectName(QStringLiteral("textEdit"));
    describe(m_text, tr("Address text"),
             tr("An address as text: inet_pton and inet_aton read it as you type. Try 127.1 or 0x7f.1"));
    m_ptonV4 = resultField(this, QStringLiteral("inet_pton(AF_INET)"), tr("Strict dotted-quad only: 4 bytes"));
    m_ptonV4->setObjectName(QStringLiteral("ptonV4"));
    m_ptonV6 = resultField(this, QStringLiteral("inet_pton(AF_INET6)"), tr("IPv6 text: 16 bytes"));
    m_ptonV6->setObjectName(QStringLiteral("ptonV6"));
    m_aton = resultField(this, QStringLiteral("inet_aton"),
                         tr("The 1980s reader: also a.b.c, a.b, a, octal (010) and hex (0x7f) parts"));
    m_aton->setObjectName(QStringLiteral("aton"));
    m_atonNotes = plainLabel(QString(), this);
    m_atonNotes->setObjectName(QStringLiteral("atonNotes"));
    m_atonNotes->setWordWrap(true);
    nameStatusLabel(m_atonNotes, tr("How inet_aton read the text"));
    m_bytes = new QLineEdit(QStringLiteral("7f 00 00 01"), this);
    m_bytes->setObjectName(QStringLiteral("bytesEdit"));
    describe(m_bytes, tr("Packed bytes"), tr("Network-order bytes in hex: 4 for IPv4, 16 for IPv6"));
    m_ntop = resultField(this, QStringLiteral("inet_ntop"), tr("Packed bytes to text: AF_INET for 4, AF_INET6 for 16"));
    m_ntop->setObjectName(QStringLiteral("ntop"));
    m_ntoa = resultField(this, QStringLiteral("inet_ntoa"), tr("4 packed bytes to dotted-quad text"));
    m_ntoa->setObjectName(QStringLiteral("ntoa"));

    auto *toBytes = new QGroupBox(tr("Text to bytes"), this);
    auto *a = new QGridLayout(toBytes);
    a->addWidget(buddyLabel(tr("Te&xt"), m_text), 0, 0);
    a->addWidget(m_text, 0, 1);
    a->addWidget(plainLabel(QStringLiteral("inet_pton(AF_INET)"), toBytes), 1, 0);
    a->addWidget(m_ptonV4, 1, 1);
    a->addWidget(plainLabel(QStringLiteral("inet_pton(AF_INET6)"), toBytes), 2, 0);
    a->addWidget(m_ptonV6, 2, 1);
    a->addWidget(plainLabel(QStringLiteral("inet_aton"), toBytes), 3, 0);
    a->addWidget(m_aton, 3, 1);
    a->addWidget(m_atonNotes, 4, 1);
    a->setColumnStretch(1, 1);
    a->setRowStretch(5, 1);

    auto *toText = new QGroupBox(tr("Bytes to text"), this);
    auto *b = new QGridLayout(toText);
    b->addWidget(buddyLabel(tr("&Bytes (hex)"), m_bytes), 0, 0);
    b->addWidget(m_bytes, 0, 1);
    b->addWidget(plainLabel(QStringLiteral("inet_ntop"), toText), 1, 0);
    b->addWidget(m_ntop, 1, 1);
    b->addWidget(plainLabel(QStringLiteral("inet_ntoa"), toText), 2, 0);
    b->addWidget(m_ntoa, 2, 1);
    b->setColumnStretch(1, 1);
    b->setRowStretch(3, 1);

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(toBytes, 3);
    layout->addWidget(toText, 2);

    connect(m_text, &QLineEdit::textChanged, this, &ConvertersForm::updateText);
    connect(m_bytes, &QLineEdit::textChanged, this, &ConvertersForm::updateBytes);
    updateText();
    updateBytes();
}

void ConvertersForm::updateText()
{
    const QString text = m_text->text();
    const auto v4 = Converters::inetPton(AF_INET, text);
    // inet_pton answers 0 for text it does not take, inet_aton 0 as well.
    m_ptonV4->setText(v4 ? hex(*v4) : tr("rejected (returns 0)"));
    const auto v6 = Converters::inetPton(AF_INET6, text);
    m_ptonV6->setText(v6 ? hex(*v6) : tr("rejected (returns 0)"));
    const auto aton = Converters::inetAton(text);
    if (!aton) {
        m_aton->setText(tr("rejected (returns 0)"));
        setStatusText(m_atonNotes, {});
        return;
    }
    m_aton->setText(tr("%1  = %2  (form %3)").arg(hex(aton->packed), aton->dotted, aton->form));
    m_aton->setCursorPosition(0);
    QStringList notes = aton->notes;
    if (aton->legacy)
        notes.append(tr("inet_pton(AF_INET) rejects this text: only inet_aton takes it"));
    setStatusText(m_atonNotes, notes.join(u'\n'));
}

void ConvertersForm::updateBytes()
{
    const auto bytes = PayloadCodec::parseHex(m_bytes->text(), QStringLiteral("bytes"));
    if (!bytes) {
        m_ntop->setText(bytes.error().toString());
        m_ntoa->clear();
        return;
    }
    const int family = bytes->size() == 16 ? AF_INET6 : AF_INET;
    const auto ntop = Converters::inetNtop(family, *bytes);
    m_ntop->setText(ntop ? tr("%1  (as %2)").arg(*ntop, familyName(family)) : ntop.error().message());
    const auto ntoa = Converters::inetNtoa(*bytes);
    m_ntoa->setText(ntoa ? *ntoa : ntoa.error().message());
}

} // namespace sockscope::ui
