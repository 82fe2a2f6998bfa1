// The traffic view's exports: text, CSV and raw bytes per direction, byte exact, and
// written to a file all or nothing with the outcome on the view's status line.

#include "../common/trafficviewhelpers.h"
#include "../common/widgetlookup.h"

#include "widgets/trafficview.h"

#include "engine/trafficlog.h"
#include "net/payloadcodec.h"

#include <QFile>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>

using namespace sockscope;
using namespace sockscope::core;
using tests::everyByte;
using tests::modelOf;
using ui::TrafficModel;
using ui::TrafficView;

class tst_TrafficExport : public QObject
{
    Q_OBJECT

private slots:
    void exportsAreByteExact();
    void exportToFile_data();
    void exportToFile();
};

void tst_TrafficExport::exportsAreByteExact()
{
    const QByteArray big = everyByte(100'000);
    const QByteArray request = "GET / HTTP/1.0\r\n\r\n";
    const QByteArray quoted = "a,\"b\"\n";
    auto log = std::make_shared<TrafficLog>();
    log->append(Direction::Out, TrafficCall::Send, request);
    log->append(Direction::In, TrafficCall::Recv, big);
    log->append(Direction::In, TrafficCall::RecvFrom, quoted, Address::loopback(AF_INET6, 9));
    TrafficView view;
    view.setLog(log);
    const TrafficModel *m = modelOf(view);

    QCOMPARE(view.exportBytes(TrafficView::ExportFormat::RawReceived), big + quoted);
    QCOMPARE(view.exportBytes(TrafficView::ExportFormat::RawSent), request);

    const QByteArray expectedText = "#1  +0.000000  out send  18 bytes: GET / HTTP/1.0\\r\\n\\r\\n\n"
        + QStringLiteral("#2  %1  in recv  100000 bytes: %2\n").arg(m->timeText(m->record(1).timeNs), PayloadCodec::escape(big)).toUtf8()
        + QStringLiteral("#3  %1  in recvfrom  [::1]:9  6 bytes: a,\"b\"\\n\n").arg(m->timeText(m->record(2).timeNs)).toUtf8();
    QCOMPARE(view.exportBytes(TrafficView::ExportFormat::Text), expectedText);

    const QByteArray expectedCsv = "seq,time,time_ns,direction,call,peer,bytes,text,hex\r\n"
        + QStringLiteral("1,+0.000000,%1,out,send,,18,GET / HTTP/1.0\\r\\n\\r\\n,%2\r\n").arg(m->record(0).timeNs).arg(QString::fromLatin1(request.toHex())).toUtf8()
        + QStringLiteral("2,%1,%2,in,recv,,100000,\"%3\",%4\r\n")
              .arg(m->timeText(m->record(1).timeNs)).arg(m->record(1).timeNs)
              .arg(PayloadCodec::escape(big).replace(u'"', QStringLiteral("\"\""))).arg(QString::fromLatin1(big.toHex())).toUtf8()
        + QStringLiteral("3,%1,%2,in,recvfrom,[::1]:9,6,\"a,\"\"b\"\"\\n\",%3\r\n")
              .arg(m->timeText(m->record(2).timeNs)).arg(m->record(2).timeNs).arg(QString::fromLatin1(quoted.toHex())).toUtf8();
    QCOMPARE(view.exportBytes(TrafficView::ExportFormat::Csv), expectedCsv);
}

void tst_TrafficExport::exportToFile_data()
{
    QTest::addColumn<int>("format");
    QTest::newRow("text") << int(TrafficView::ExportFormat::Text);
    QTest::newRow("csv") << int(TrafficView::ExportFormat::Csv);
    QTest::newRow("raw-received") << int(TrafficView::ExportFormat::RawReceived);
    QTest::newRow("raw-sent") << int(TrafficView::ExportFormat::RawSent);
}

void tst_TrafficExport::exportToFile()
{
    QFETCH(int, format);
    auto log = std::make_shared<TrafficLog>();
    log->append(Direction::Out, TrafficCall::SendAll, everyByte(70'000));
    log->append(Direction::In, TrafficCall::Recv, everyByte(3));
    TrafficView view;
    view.setLog(log);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("export"));
    QVERIFY(view.exportTo(path, TrafficView::ExportFormat(format)));
    QCOMPARE(tests::named<QLabel>(view, u"trafficStatus")->text(), QStringLiteral("Exported 2 records to %1.").arg(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray written = file.readAll();
    QCOMPARE(written, view.exportBytes(TrafficView::ExportFormat(format)));
    QVERIFY(!written.isEmpty());
    // A path that cannot be written is an error said on the status line, not a crash or a
    // silent success; the file written before is still whole.
    const QString missing = dir.filePath(QStringLiteral("no/such/dir/file"));
    QVERIFY(!view.exportTo(missing, TrafficView::ExportFormat(format)));
    const QString said = tests::named<QLabel>(view, u"trafficStatus")->text();
    QVERIFY2(said.startsWith(QStringLiteral("Export failed: %1: ").arg(missing)) && said.endsWith(QLatin1String("; no file was written")), qPrintable(said));
}

QTEST_MAIN(tst_TrafficExport)
#include "tst_trafficexport.moc"
