#pragma once

#include <QString>

class QLabel;
class QWidget;

namespace sockscope::ui {

// Every control gets a tooltip and an accessible name; one call sets both.
void describe(QWidget *widget, const QString &accessibleName, const QString &toolTip);
// A label for inline errors: plain text, red, hidden while empty.
QLabel *makeErrorLabel(QWidget *parent);
// A form label (plain text, "&" marks its mnemonic) that moves focus to `buddy`.
QLabel *buddyLabel(const QString &text, QWidget *buddy);
void showError(QLabel *label, const QString &text); // empty text hides it
QString humanBytes(quint64 bytes);

} // namespace sockscope::ui
