#pragma once

#include "uitick.h"

#include "net/address.h"
#include "net/resolver.h"

#include <QElapsedTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;

namespace sockscope::core {
class LookupService;
class SysError;
}

namespace sockscope::ui {

class AddrInfoModel;
class ByteOrderForm;
class ConvertersForm;
class HostDbForm;
class NameInfoForm;

// The resolver as it is: getaddrinfo with every hint and flag and every row in the
// system's order; getnameinfo on any row; the name/service/protocol databases; the
// address and byte-order converters. Every lookup runs on the LookupService's workers:
// the GUI never waits for a resolver.
class LookupPane : public QWidget
{
    Q_OBJECT
public:
    explicit LookupPane(core::LookupService &lookups, QWidget *parent = nullptr);
    ~LookupPane() override;

    // Fills the form (a null host or service is NULL) and resolves.
    void resolve(const std::optional<QString> &host, const std::optional<QString> &service,
                 const core::AddrInfoHints &hints);
    void resolve(); // with what the form holds
    void cancel();
    bool isBusy() const { return m_pending != 0; }
    core::AddrInfoHints hints() const;
    std::optional<QString> host() const;
    std::optional<QString> service() const;

    // "EAI_NONAME (-2): Name or service not known" and the hint on a second line.
    static QString errorText(const core::SysError &error);

    QLineEdit *hostEdit() const { return m_host; }
    QCheckBox *flagBox(int flag) const;
    QTableView *table() const { return m_table; }

    // Rows selected in the table, as indexes into the model (system order).
    QList<int> selectedRows() const;
    void copySelection() const;       // tab-separated, with a header line
    void nameInfoForSelection();      // getnameinfo on the current row
    void connectToSelection();        // emits connectRequested

signals:
    // "Start a TCP client to this row": the main window opens a client aimed at it.
    void connectRequested(const sockscope::core::Address &address);
    // A lookup ended: its rows or its error are shown (also after a form error).
    void lookupFinished();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *buildForm();
    QWidget *buildResults();
    void updatePython();
    void updateRowActions();
    void showElapsed();

    core::LookupService &m_lookups;
    quint64 m_pending = 0;
    QElapsedTimer m_started;
    UiTick::Subscription *m_tick = nullptr;

    QLineEdit *m_host = nullptr;
    QCheckBox *m_hostNull = nullptr;
    QLineEdit *m_service = nullptr;
    QCheckBox *m_serviceNull = nullptr;
    QComboBox *m_family = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_protocol = nullptr;
    QList<QCheckBox *> m_flags;
    QPushButton *m_resolve = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_error = nullptr;
    QLineEdit *m_python = nullptr;

    AddrInfoModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_table = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_toNameInfo = nullptr;
    QPushButton *m_toClient = nullptr;

    QTabWidget *m_tabs = nullptr;
    NameInfoForm *m_nameInfo = nullptr;
    HostDbForm *m_hostDb = nullptr;
    ConvertersForm *m_converters = nullptr;
    ByteOrderForm *m_byteOrder = nullptr;
};

} // namespace sockscope::ui
