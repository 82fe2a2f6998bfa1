// serve --gate-key-file: the HMAC gate's key read from a file instead of the command line
// (where `ps` and the shell's history show it), against a python3 client on loopback that
// answers the challenge; a file group or others may read is refused as ssh refuses a
// private key, and nothing listens.

#include "clirun.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace sockscope::tests;

namespace {

// argv: port key; answers the 32-byte challenge with HMAC-SHA256(key, challenge), sends
// "hi" and prints repr() of what the upper service sent back before EOF or 2 s.
const char kClientPy[] = R"PY(
import hashlib, hmac, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
challenge = b""
while len(challenge) < 32:
    d = s.recv(32 - len(challenge))
    if not d:
        break
    challenge += d
s.sendall(hmac.new(sys.argv[2].encode(), challenge, hashlib.sha256).digest() + b"hi")
s.settimeout(2)
got = b""
try:
    while len(got) < 2:
        d = s.recv(100)
        if not d:
            break
        got += d
except (socket.timeout, ConnectionResetError):
    pass
print(repr(got), flush=True)
)PY";

QString writeKeyFile(const QTemporaryDir &dir, const QByteArray &content, QFile::Permissions permissions)
{
    const QString path = dir.filePath(QStringLiteral("gate.key"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        return {};
    file.close();
    return file.setPermissions(permissions) ? path : QString();
}

QString answerChallenge(quint16 port, const QString &key)
{
    QProcess p;
    p.start(QStringLiteral("python3"), {QStringLiteral("-c"), QString::fromUtf8(kClientPy), QString::number(port), key});
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
        return QStringLiteral("timed out");
    }
    return QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()).trimmed();
}

constexpr QFile::Permissions kOwnerOnly = QFile::ReadOwner | QFile::WriteOwner;

} // namespace

class tst_GateKeyFile : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY2(!cliPath().isEmpty(), "SOCKSCOPE_CLI must name sockscope-cli"); }
    void keyFromTheFileOpensTheGate_data();
    void keyFromTheFileOpensTheGate();
    void openToOthersIsRefused_data();
    void openToOthersIsRefused();
    void unusableFilesAreRefused_data();
    void unusableFilesAreRefused();
    void helpWarnsAboutTheInlineKey();
};

void tst_GateKeyFile::keyFromTheFileOpensTheGate_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("clientKey");
    QTest::addColumn<QString>("reply");
    QTest::newRow("LF") << QByteArray("s3cret key\n") << "s3cret key" << "b'HI'";
    QTest::newRow("CRLF, then a second line") << QByteArray("s3cret key\r\nnot the key\n") << "s3cret key" << "b'HI'";
    QTest::newRow("no line end") << QByteArray("s3cret key") << "s3cret key" << "b'HI'";
    // The control: the gate is really closed to any other key.
    QTest::newRow("client with the wrong key") << QByteArray("s3cret key\n") << "s3cret key\n" << "b''";
}

void tst_GateKeyFile::keyFromTheFileOpensTheGate()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, clientKey);
    QFETCH(QString, reply);
    QTemporaryDir dir;
    const QString path = writeKeyFile(dir, content, kOwnerOnly);
    QVERIFY(!path.isEmpty());
    QProcess server;
    const quint16 port = startServe(server, {QStringLiteral("tcp"), QStringLiteral("--mode"), QStringLiteral("upper"),
                                              QStringLiteral("--gate-key-file"), path});
    QVERIFY2(port, server.readAllStandardError().constData());
    // Only the file's name is on the command line, which every user can read.
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(server.processId()));
    QVERIFY(cmdline.open(QIODevice::ReadOnly));
    QVERIFY(!cmdline.readAll().contains("s3cret"));

    QCOMPARE(answerChallenge(port, clientKey), reply);
    server.terminate();
    QVERIFY(server.waitForFinished(5000));
    const QByteArray out = server.readAllStandardOutput();
    QVERIFY2(out.contains(reply == u"b''" ? "wrong HMAC answer" : "HMAC answer verified"), out.constData());
}

void tst_GateKeyFile::openToOthersIsRefused_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<QString>("shown");
    QTest::newRow("0644") << 0644 << "mode 0644";
    QTest::newRow("0640 group") << 0640 << "mode 0640";
    QTest::newRow("0604 others") << 0604 << "mode 0604";
    QTest::newRow("0620 group may write") << 0620 << "mode 0620";
}

void tst_GateKeyFile::openToOthersIsRefused()
{
    QFETCH(int, mode);
    QFETCH(QString, shown);
    QTemporaryDir dir;
    const QString path = writeKeyFile(dir, "s3cret key\n", kOwnerOnly);
    QVERIFY(!path.isEmpty());
    QVERIFY(QFile::exists(path) && ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0);

    const CliRun run = runCli({QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--gate-key-file"), path}, 2500);
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(run.finished, "the server ran with a key file others can read");
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.isEmpty(), run.out.constData()); // no "listening on"
    QVERIFY2(err.count(u'\n') == 1 && err.contains(QStringLiteral("--gate-key-file")) && err.contains(shown)
                 && err.contains(QStringLiteral("chmod 600")),
             qPrintable(err));
}

void tst_GateKeyFile::unusableFilesAreRefused_data()
{
    QTest::addColumn<QByteArray>("content"); // empty: no file at all
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<QString>("says");
    QTest::newRow("missing") << QByteArray() << QStringList() << "ENOENT";
    QTest::newRow("empty first line") << QByteArray("\nkey on line two\n") << QStringList() << "empty first line";
    QTest::newRow("with --gate-key too") << QByteArray("k\n") << QStringList{QStringLiteral("--gate-key"), QStringLiteral("k")}
                                         << "not both";
}

void tst_GateKeyFile::unusableFilesAreRefused()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, extra);
    QFETCH(QString, says);
    QTemporaryDir dir;
    const QString path = content.isEmpty() ? dir.filePath(QStringLiteral("absent.key")) : writeKeyFile(dir, content, kOwnerOnly);
    QVERIFY(!path.isEmpty());
    const CliRun run = runCli(QStringList{QStringLiteral("serve"), QStringLiteral("tcp"), QStringLiteral("--gate-key-file"), path} + extra,
                              2500);
    const QString err = QString::fromUtf8(run.err);
    QVERIFY(run.finished);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.out.isEmpty(), run.out.constData());
    QVERIFY2(err.count(u'\n') == 1 && err.contains(QStringLiteral("--gate-key-file")) && err.contains(says), qPrintable(err));
}

void tst_GateKeyFile::helpWarnsAboutTheInlineKey()
{
    const CliRun run = runCli({QStringLiteral("serve"), QStringLiteral("--help")}, 5000);
    const QString help = QString::fromUtf8(run.out).simplified();
    const qsizetype at = help.indexOf(QStringLiteral("--gate-key <KEY>"));
    QVERIFY2(at >= 0, qPrintable(help));
    QVERIFY2(help.mid(at, 200).contains(QStringLiteral("ps shows every command line")), qPrintable(help.mid(at, 200)));
}

QTEST_GUILESS_MAIN(tst_GateKeyFile)
#include "tst_gatekeyfile.moc"
