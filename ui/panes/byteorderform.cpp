#include "byteorderform.h"

#include "widgets/accessiblelabel.h"
#include "widgets/formhelpers.h"

#include "net/converters.h"
#include "net/payloadcodec.h"

#include <QFontDatabase>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>

namespace sockscope::ui {

using namespace sockscope::core;

namespace {

constexpr ByteOrderCall kCalls[] = {ByteOrderCall::Htons, ByteOrderCall::Ntohs, ByteOrderCall::Htonl,
                                    ByteOrderCall::Ntohl};

QLabel *plainLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

ByteOrderForm::ByteOrderForm(QWidget *parent)
    : QWidget(parent)
{
    m_value = new QLineEdit(QStringLiteral("0x1234"), this);
    describe(m_value, tr("Value"),
             tr("An unsigned integer, decimal or 0x hex: a port (16 bits) or an IPv4 address (32 bits)"));
    m_value->setMaximumWidth(240);
    m_error = makeErrorLabel(this);

    auto *grid = new QGridLayout(this);
    grid->setHorizontalSpacing(24);
    grid->addWidget(buddyLabel(tr("&Value"), m_value), 0, 0);
    grid->addWidget(m_value, 0, 1);
    grid->addWidget(plainLabel(Converters::hostIsLittleEndian()
                                   ? tr("This host is little-endian: it stores the lowest byte first")
                                   : tr("This host is big-endian: it stores bytes in network order"),
                               this),
                    0, 2, 1, 3);
    const QStringList heads = {tr("call"), tr("result"), tr("value, here"), tr("value, on the wire"),
                               tr("result, here")};
    const QStringList tips = {
        QString(),
        tr("The integer the call returns"),
        tr("The value's bytes in memory, lowest address first, as this host stores it"),
        tr("The value's bytes in network order (big-endian): what goes on the wire"),
        tr("The result's bytes in memory on this host: after hton*, they are in network order"),
    };
    for (int c = 0; c < heads.size(); ++c) {
        QLabel *head = plainLabel(heads[c], this);
        head->setToolTip(tips[c]);
        QFont bold = head->font();
        bold.setBold(true);
        head->setFont(bold);
        grid->addWidget(head, 1, c);
    }
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (int r = 0; r < 4; ++r) {
        grid->addWidget(plainLabel(Converters::callName(kCalls[r]) + QStringLiteral("()"), this), r + 2, 0);
        for (int c = 0; c < 4; ++c) {
            QLabel *cell = plainLabel(QString(), this);
            cell->setFont(fixed);
            cell->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
            nameStatusLabel(cell, QStringLiteral("%1 %2").arg(Converters::callName(kCalls[r]), heads[c + 1]));
            cell->setToolTip(tips[c + 1]);
            m_cells[size_t(r)][size_t(c)] = cell;
            grid->addWidget(cell, r + 2, c + 1);
        }
    }
    grid->addWidget(m_error, 6, 0, 1, 5);
    grid->setRowStretch(7, 1);
    grid->setColumnStretch(5, 1);

    connect(m_value, &QLineEdit::textChanged, this, &ByteOrderForm::update);
    update();
}

void ByteOrderForm::update()
{
    bool ok = false;
    const qint64 value = m_value->text().trimmed().toLongLong(&ok, 0);
    showError(m_error, ok ? QString() : tr("Value: give a number, decimal or 0x hex"));
    for (int r = 0; r < 4; ++r) {
        const auto result = ok ? Converters::byteOrder(kCalls[r], value)
                               : std::expected<ByteOrderResult, SysError>(std::unexpect, SysError());
        if (!result) {
            setStatusText(m_cells[size_t(r)][0], ok ? tr("out of range (%1 bits)").arg(r < 2 ? 16 : 32) : QString());
            for (int c = 1; c < 4; ++c)
                setStatusText(m_cells[size_t(r)][size_t(c)], {});
            continue;
        }
        const int digits = result->width * 2;
        setStatusText(m_cells[size_t(r)][0], QStringLiteral("0x%1 (%2)")
                                           .arg(result->output, digits, 16, QLatin1Char('0'))
                                           .arg(result->output));
        setStatusText(m_cells[size_t(r)][1], PayloadCodec::toHex(result->inputInMemory));
        setStatusText(m_cells[size_t(r)][2], PayloadCodec::toHex(result->inputBigEndian));
        setStatusText(m_cells[size_t(r)][3], PayloadCodec::toHex(result->outputInMemory));
    }
}

} // namespace sockscope::ui
