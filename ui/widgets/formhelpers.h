#pragma once

#include <QString>

class QLabel;
class QToolButton;
class QWidget;

namespace sockscope::ui {

// Every control gets a tooltip and an accessible name; one call sets both.
void describe(QWidget *widget, const QString &accessibleName, const QString &toolTip);
// A label for inline errors: plain text, red, hidden while empty.
QLabel *makeErrorLabel(QWidget *parent);
// A label for inline warnings, for what a valid choice exposes (a server reachable from
// other machines): plain text, the warning colour, hidden while empty; set with showError().
QLabel *makeWarningLabel(QWidget *parent);
// A form label (plain text, "&" marks its mnemonic) that moves focus to `buddy`.
QLabel *buddyLabel(const QString &text, QWidget *buddy);
void showError(QLabel *label, const QString &text); // empty text hides it; warnings too
QString humanBytes(quint64 bytes);
// A checkable tool button that shows `section` only while it is checked (folded at first).
QToolButton *makeExpander(const QString &text, QWidget *section, QWidget *parent);
// The width a column of `view` needs to show `sample` unclipped: the text in the view's
// font, the margins the style puts around a cell's text, and a digit to spare.
int columnWidthFor(const QWidget *view, const QString &sample);

} // namespace sockscope::ui
