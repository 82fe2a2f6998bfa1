#pragma once

#include <QWidget>

#include <array>

class QLabel;
class QLineEdit;

namespace sockscope::ui {

// The byte-order calculator: htons / ntohs / htonl / ntohl of one value, with its bytes as
// this host stores them, as the network sends them, and the result's bytes. Pure
// arithmetic, recomputed as the user types.
class ByteOrderForm : public QWidget
{
    Q_OBJECT
public:
    explicit ByteOrderForm(QWidget *parent = nullptr);

    QLineEdit *valueEdit() const { return m_value; }
    // Row i is htons, ntohs, htonl, ntohl; column 0 the result, then the value's bytes
    // on this host, in network order, and the result's bytes on this host.
    QLabel *cell(int row, int column) const { return m_cells[size_t(row)][size_t(column)]; }

private:
    void update();

    QLineEdit *m_value = nullptr;
    QLabel *m_error = nullptr;
    std::array<std::array<QLabel *, 4>, 4> m_cells{};
};

} // namespace sockscope::ui
