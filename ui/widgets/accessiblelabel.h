#pragma once

class QLabel;
class QString;

namespace sockscope::ui {

// Labels whose text changes at run time (statuses, totals, errors, progress). A screen
// reader takes a label's accessible name as its text, so a label named "Lookup status"
// would never say "Resolving…". The name stays what the label is; the accessible
// description carries what it shows, kept equal to it by setStatusText(), which also posts
// DescriptionChanged so an AT-SPI client hears each change. Qt 6.4 has no live regions:
// a screen reader speaks the change when the label has focus, and reads it on review.
void nameStatusLabel(QLabel *label, const QString &accessibleName);
// label->setText(text) for a label named with nameStatusLabel(). Unchanged text posts nothing.
void setStatusText(QLabel *label, const QString &text);

} // namespace sockscope::ui
