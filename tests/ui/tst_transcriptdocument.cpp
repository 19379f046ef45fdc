// TranscriptDocument: the operations the transcript page receives, without a
// page. A streaming message must cost new stable blocks plus the tail per push.
#include "markdown/markdownrenderer.h"
#include "markdown/streamingmarkdownrenderer.h"
#include "transcriptdocument.h"

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

TranscriptMessage message(const QString &id, const QString &status = u"complete"_s)
{
    TranscriptMessage m;
    m.id = id;
    m.role = u"assistant"_s;
    m.status = status;
    return m;
}

QStringList opNames(const QJsonArray &ops)
{
    QStringList out;
    for (const QJsonValue &op : ops)
        out.append(op[u"op"_s].toString() + u":"_s + op[u"id"_s].toString());
    return out;
}

QList<QJsonObject> opsNamed(const QJsonArray &ops, const QString &name)
{
    QList<QJsonObject> out;
    for (const QJsonValue &op : ops)
        if (op[u"op"_s].toString() == name)
            out.append(op.toObject());
    return out;
}

const QString answer = uR"(First paragraph with $x^2$.

Second paragraph.

```cpp
int main() { return 0; }
```

| a | b |
|---|---|
| 1 | 2 |

$$
\frac{1}{2}
$$

Last line.
)"_s;

} // namespace

class TestTranscriptDocument : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void resetSendsIdsThenEachMessageWhole();
    void nothingChangedSendsNothing();
    void streamingSendsOnlyNewBlocksAndTheTail_data();
    void streamingSendsOnlyNewBlocksAndTheTail();
    void replacedStreamingTextStartsOver();
    void finishedMessageWithSameTextIsNotResent();
    void insertAndRemoveCarryIndexes();
    void removedRowSendsNoContent();
    void resendAllRebuildsThePage();
};

void TestTranscriptDocument::resetSendsIdsThenEachMessageWhole()
{
    TranscriptDocument doc;
    const QStringList texts { u"Hello **you**"_s, answer };
    doc.reset({ message(u"a"_s), message(u"b"_s) });
    const QJsonArray ops = doc.takeUpdates([&](int row) { return texts.at(row); });
    QCOMPARE(opNames(ops),
             (QStringList { u"reset:"_s, u"meta:a"_s, u"html:a"_s, u"meta:b"_s, u"html:b"_s }));
    QCOMPARE(ops[0][u"ids"_s].toArray(), (QJsonArray { u"a"_s, u"b"_s }));
    QCOMPARE(ops[2][u"html"_s].toString(), parlance::MarkdownRenderer::toHtml(texts[0]));
    QCOMPARE(ops[4][u"html"_s].toString(), parlance::MarkdownRenderer::toHtml(texts[1]));
    QVERIFY(!doc.hasPendingUpdates());
}

void TestTranscriptDocument::nothingChangedSendsNothing()
{
    TranscriptDocument doc;
    doc.reset({ message(u"a"_s) });
    (void)doc.takeUpdates([](int) { return u"x"_s; });
    QVERIFY(!doc.hasPendingUpdates());
    QVERIFY(doc.takeUpdates([](int) { return u"x"_s; }).isEmpty());
    // A dataChanged of the same values is not an update either.
    doc.update(0, message(u"a"_s), false);
    QVERIFY(doc.takeUpdates([](int) { return u"x"_s; }).isEmpty());
}

void TestTranscriptDocument::streamingSendsOnlyNewBlocksAndTheTail_data()
{
    QTest::addColumn<int>("chunk");
    QTest::newRow("one character per push") << 1;
    QTest::newRow("four characters per push") << 4;
    QTest::newRow("forty characters per push") << 40;
}

void TestTranscriptDocument::streamingSendsOnlyNewBlocksAndTheTail()
{
    QFETCH(int, chunk);
    const QString answers = answer.repeated(10);
    TranscriptDocument doc;
    QString text;
    const auto textAt = [&](int) { return text; };
    doc.reset({ message(u"s"_s, u"streaming"_s) });
    (void)doc.takeUpdates(textAt);

    QStringList pageBlocks; // what a page applying the ops would hold
    QString tail;
    qsizetype longestPayload = 0;
    const auto apply = [&](const QJsonArray &ops) {
        for (const QJsonObject &op : opsNamed(ops, u"stream"_s)) {
            const int keep = op[u"keep"_s].toInt();
            QCOMPARE(keep, pageBlocks.size()); // stable blocks never change
            qsizetype payload = op[u"tail"_s].toString().size();
            for (const QJsonValue &b : op[u"blocks"_s].toArray()) {
                pageBlocks.append(b.toString());
                payload += b.toString().size();
            }
            tail = op[u"tail"_s].toString();
            longestPayload = std::max(longestPayload, payload);
        }
    };
    for (qsizetype pos = 0; pos < answers.size(); pos += chunk) {
        text += QStringView(answers).sliced(pos, std::min<qsizetype>(chunk, answers.size() - pos));
        doc.update(0, message(u"s"_s, u"streaming"_s), true);
        apply(doc.takeUpdates(textAt));
    }
    // Never the whole message again: at most a few blocks per push.
    QVERIFY2(longestPayload < parlance::MarkdownRenderer::toHtml(answers).size() / 10,
             qPrintable(QString::number(longestPayload)));

    doc.update(0, message(u"s"_s), false); // streaming -> complete
    apply(doc.takeUpdates(textAt));
    QCOMPARE(tail, QString());
    QCOMPARE(pageBlocks.join(QString()), parlance::MarkdownRenderer::toHtml(answers));
}

void TestTranscriptDocument::replacedStreamingTextStartsOver()
{
    TranscriptDocument doc;
    QString text = u"Para one.\n\nPara two.\n\nPara three"_s;
    const auto textAt = [&](int) { return text; };
    doc.reset({ message(u"s"_s, u"streaming"_s) });
    (void)doc.takeUpdates(textAt);

    text = u"Something else entirely, a regenerated answer of the same length."_s;
    doc.update(0, message(u"s"_s, u"streaming"_s), true);
    const QList<QJsonObject> ops = opsNamed(doc.takeUpdates(textAt), u"stream"_s);
    QCOMPARE(ops.size(), 1);
    QCOMPARE(ops[0][u"keep"_s].toInt(), 0);
    QVERIFY(ops[0][u"tail"_s].toString().contains(u"regenerated"_s));
}

void TestTranscriptDocument::finishedMessageWithSameTextIsNotResent()
{
    TranscriptDocument doc;
    QString text = u"Done."_s;
    const auto textAt = [&](int) { return text; };
    doc.reset({ message(u"a"_s) });
    (void)doc.takeUpdates(textAt);

    doc.update(0, message(u"a"_s), true); // e.g. dataChanged without roles
    QVERIFY(opsNamed(doc.takeUpdates(textAt), u"html"_s).isEmpty());

    text = u"Done, and edited."_s;
    doc.update(0, message(u"a"_s), true);
    const QList<QJsonObject> ops = opsNamed(doc.takeUpdates(textAt), u"html"_s);
    QCOMPARE(ops.size(), 1);
    QVERIFY(ops[0][u"html"_s].toString().contains(u"edited"_s));
}

void TestTranscriptDocument::insertAndRemoveCarryIndexes()
{
    TranscriptDocument doc;
    doc.reset({ message(u"a"_s), message(u"d"_s) });
    (void)doc.takeUpdates([](int) { return u"x"_s; });

    doc.insert(1, { message(u"b"_s), message(u"c"_s) });
    doc.remove(0, 1);
    const QJsonArray ops = doc.takeUpdates([](int) { return u"x"_s; });
    QCOMPARE(opNames(ops),
             (QStringList { u"insert:"_s, u"remove:"_s, u"meta:b"_s, u"html:b"_s, u"meta:c"_s,
                            u"html:c"_s }));
    QCOMPARE(ops[0][u"index"_s].toInt(), 1);
    QCOMPARE(ops[0][u"ids"_s].toArray(), (QJsonArray { u"b"_s, u"c"_s }));
    QCOMPARE(ops[1][u"index"_s].toInt(), 0);
    QCOMPARE(ops[1][u"count"_s].toInt(), 1);
    QCOMPARE(doc.count(), 3);
}

void TestTranscriptDocument::removedRowSendsNoContent()
{
    TranscriptDocument doc;
    doc.reset({});
    (void)doc.takeUpdates([](int) { return QString(); });
    doc.insert(0, { message(u"gone"_s) });
    doc.remove(0, 1);
    QVERIFY(doc.hasPendingUpdates());
    const QJsonArray ops = doc.takeUpdates([](int) -> QString {
        qFatal("text of a removed row was read");
        return {};
    });
    QCOMPARE(opNames(ops), (QStringList { u"insert:"_s, u"remove:"_s }));
    QVERIFY(!doc.hasPendingUpdates());
}

void TestTranscriptDocument::resendAllRebuildsThePage()
{
    TranscriptDocument doc;
    QString text = u"Block one.\n\nBlock two.\n\nTail"_s;
    const auto textAt = [&](int) { return text; };
    doc.reset({ message(u"s"_s, u"streaming"_s) });
    (void)doc.takeUpdates(textAt);

    doc.resendAll(); // the page reloaded
    const QJsonArray ops = doc.takeUpdates(textAt);
    QCOMPARE(opNames(ops), (QStringList { u"reset:"_s, u"meta:s"_s, u"stream:s"_s }));
    parlance::StreamingMarkdownRenderer expected;
    (void)expected.append(text);
    QVERIFY(!expected.stableBlocks().isEmpty());
    QCOMPARE(ops[2][u"keep"_s].toInt(), 0);
    QCOMPARE(ops[2][u"blocks"_s].toArray(), QJsonArray::fromStringList(expected.stableBlocks()));
    QCOMPARE(ops[2][u"tail"_s].toString(), expected.tailHtml());
}

QTEST_GUILESS_MAIN(TestTranscriptDocument)
#include "tst_transcriptdocument.moc"
