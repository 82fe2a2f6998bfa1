#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;

namespace sockscope::ui {

// inet_pton / inet_aton (text to packed bytes, with what inet_aton made of legacy forms)
// and inet_ntop / inet_ntoa (bytes to text). Pure functions, recomputed as the user
// types: nothing here blocks or looks anything up.
class ConvertersForm : public QWidget
{
    Q_OBJECT
public:
    explicit ConvertersForm(QWidget *parent = nullptr);


private:
    void updateText();
    void updateBytes();

    QLineEdit *m_text = nullptr;
    QLineEdit *m_ptonV4 = nullptr;
    QLineEdit *m_ptonV6 = nullptr;
    QLineEdit *m_aton = nullptr;
    QLabel *m_atonNotes = nullptr;
    QLineEdit *m_bytes = nullptr;
    QLineEdit *m_ntop = nullptr;
    QLineEdit *m_ntoa = nullptr;
};

} // namespace sockscope::ui
