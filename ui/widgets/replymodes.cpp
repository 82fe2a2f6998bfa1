#include "replymodes.h"

#include "ruleeditor.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QCoreApplication>

namespace sockscope::ui {

using core::ServiceMode;

namespace {

struct ModeChoice
{
    ServiceMode mode;
    const char *label;
    const char *tip;
};

const ModeChoice kModes[] = {
    {ServiceMode::None, QT_TRANSLATE_NOOP("ReplyModes", "None (you reply by hand)"), QT_TRANSLATE_NOOP("ReplyModes", "Receive only; answer with the composer")},
    {ServiceMode::Echo, QT_TRANSLATE_NOOP("ReplyModes", "Echo"), QT_TRANSLATE_NOOP("ReplyModes", "Send back every byte received")},
    {ServiceMode::Upper, QT_TRANSLATE_NOOP("ReplyModes", "Upper (tutorial server)"), QT_TRANSLATE_NOOP("ReplyModes", "send(data.upper()): the classic tutorial server")},
    {ServiceMode::Discard, QT_TRANSLATE_NOOP("ReplyModes", "Discard"), QT_TRANSLATE_NOOP("ReplyModes", "Read and throw away (RFC 863)")},
    {ServiceMode::Chargen, QT_TRANSLATE_NOOP("ReplyModes", "Chargen"), QT_TRANSLATE_NOOP("ReplyModes", "Send characters as fast as the peer reads (RFC 864)")},
    {ServiceMode::Daytime, QT_TRANSLATE_NOOP("ReplyModes", "Daytime"), QT_TRANSLATE_NOOP("ReplyModes", "Send the date and time, then close (RFC 867)")},
    {ServiceMode::Rules, QT_TRANSLATE_NOOP("ReplyModes", "Rules (responder)"), QT_TRANSLATE_NOOP("ReplyModes", "Answer each message by the first of your rules that matches")},
};

} // namespace

void addReplyModes(QComboBox *box)
{
    for (const auto &m : kModes) {
        box->addItem(QCoreApplication::translate("ReplyModes", m.label), int(m.mode));
        box->setItemData(box->count() - 1, QCoreApplication::translate("ReplyModes", m.tip), Qt::ToolTipRole);
    }
}

std::optional<ServiceChoice> chosenService(const QComboBox *box, RuleEditor *rules)
{
    ServiceChoice choice{ServiceMode(box->currentData().toInt()), nullptr};
    if (choice.mode == ServiceMode::Rules && !(choice.rules = rules->build()))
        return std::nullopt;
    return choice;
}

void followReplyControls(QComboBox *box, QAbstractButton *rulesToggle, RuleEditor *rules, QObject *context,
                         const std::function<void()> &apply)
{
    const auto rulesChosen = [box] { return ServiceMode(box->currentData().toInt()) == ServiceMode::Rules; };
    QObject::connect(box, &QComboBox::currentIndexChanged, context, [rulesChosen, rulesToggle, apply] {
        if (rulesChosen())
            rulesToggle->setChecked(true); // where the rules are typed
        apply();
    });
    // Edited rules answer at once (with fresh hit counts) while the mode is Rules.
    QObject::connect(rules, &RuleEditor::edited, context, [rulesChosen, apply] {
        if (rulesChosen())
            apply();
    });
}

} // namespace sockscope::ui
