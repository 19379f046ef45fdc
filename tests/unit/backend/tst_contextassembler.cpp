#include "common/tokenestimate.h"
#include "contract/errorcodes.h"
#include "generation/contextassembler.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

// A message of `words` distinct short words: TokenEstimate counts one token per
// short word, so its estimate is `words` + the per-message overhead.
Message message(Message::Role role, int words, const QString &id)
{
    Message m;
    m.id = id;
    m.role = role;
    QStringList parts;
    for (int i = 0; i < words; ++i)
        parts << u"word"_s;
    m.content = { ContentPart::fromText(parts.join(u' ')) };
    return m;
}

// "u10 a20 u5": user 10 words, assistant 20 words, user 5 words; ids m0, m1, ...
QList<Message> branch(const QString &spec)
{
    QList<Message> out;
    const QStringList items = spec.split(u' ', Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString &item = items[i];
        const auto role = item.startsWith(u'u') ? Message::Role::User : Message::Role::Assistant;
        out.append(message(role, item.mid(1).toInt(), u"m%1"_s.arg(i)));
    }
    return out;
}

qint64 cost(int words)
{
    return words + TokenEstimate::PerMessageOverhead;
}

} // namespace

class TestContextAssembler : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void estimateMatchesTheHelper();
    void trimming_data();
    void trimming();
    void systemPromptComesFirst();
    void emptyMessagesAreSkipped();
    void filePartsCount();
    void pricing_data();
    void pricing();
};

void TestContextAssembler::estimateMatchesTheHelper()
{
    QCOMPARE(ContextAssembler::estimateMessage(message(Message::Role::User, 10, u"x"_s)), cost(10));
}

void TestContextAssembler::trimming_data()
{
    QTest::addColumn<int>("systemWords"); // 0: no system prompt
    QTest::addColumn<QString>("spec");
    QTest::addColumn<qint64>("window");
    QTest::addColumn<qint64>("reserved");
    QTest::addColumn<QStringList>("keptIds"); // empty + error: context_too_long
    QTest::addColumn<bool>("tooLong");

    const qint64 req = TokenEstimate::PerRequestOverhead;
    const qint64 all = req + cost(10) + cost(20) + cost(5);
    QTest::newRow("everything fits") << 0 << u"u10 a20 u5"_s << all << qint64(0)
                                     << QStringList { u"m0"_s, u"m1"_s, u"m2"_s } << false;
    QTest::newRow("one token short drops the oldest turn (and its answer)")
        << 0 << u"u10 a20 u5"_s << all - 1 << qint64(0) << QStringList { u"m2"_s } << false;
    QTest::newRow("reserve counts against the window")
        << 0 << u"u10 a20 u5"_s << all + 100 << qint64(101) << QStringList { u"m2"_s } << false;
    QTest::newRow("keeps a contiguous newest run")
        << 0 << u"u1 a1 u50 a1 u1"_s << req + cost(1) * 3 + cost(50) << qint64(0)
        << QStringList { u"m2"_s, u"m3"_s, u"m4"_s } << false;
    QTest::newRow("never skips over a big message to keep older ones")
        << 0 << u"u1 a50 u1"_s << req + cost(1) * 2 + 10 << qint64(0) << QStringList { u"m2"_s }
        << false;
    QTest::newRow("last message alone fits exactly")
        << 0 << u"u10 a20 u5"_s << req + cost(5) << qint64(0) << QStringList { u"m2"_s } << false;
    QTest::newRow("last message does not fit")
        << 0 << u"u10 a20 u5"_s << req + cost(5) - 1 << qint64(0) << QStringList {} << true;
    QTest::newRow("system prompt always kept, history dropped")
        << 30 << u"u10 a20 u5"_s << req + cost(30) + cost(5) << qint64(0)
        << QStringList { u"system"_s, u"m2"_s } << false;
    QTest::newRow("system plus last message too long")
        << 30 << u"u10 a20 u5"_s << req + cost(30) + cost(5) - 1 << qint64(0) << QStringList {}
        << true;
    QTest::newRow("reserve larger than the window")
        << 0 << u"u1"_s << qint64(100) << qint64(200) << QStringList {} << true;
    QTest::newRow("empty branch, system prompt only")
        << 5 << QString() << qint64(100) << qint64(0) << QStringList { u"system"_s } << false;
}

void TestContextAssembler::trimming()
{
    QFETCH(int, systemWords);
    QFETCH(QString, spec);
    QFETCH(qint64, window);
    QFETCH(qint64, reserved);
    QFETCH(QStringList, keptIds);
    QFETCH(bool, tooLong);
    const QString system =
        systemWords > 0 ? message(Message::Role::System, systemWords, {}).plainText() : QString();
    const QList<Message> messages = branch(spec);
    const auto result = ContextAssembler::assemble(system, messages, window, reserved);
    if (tooLong) {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, QString(errc::ContextTooLong));
        QCOMPARE(errc::httpStatusFor(errc::ContextTooLong), 422);
        return;
    }
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QStringList ids;
    for (const Message &m : result->messages)
        ids << (m.role == Message::Role::System ? u"system"_s : m.id);
    QCOMPARE(ids, keptIds);
    QVERIFY(result->estimatedInputTokens <= window - reserved);
    QCOMPARE(result->droppedMessages,
             int(messages.size()) - int(keptIds.size()) + (systemWords > 0 ? 1 : 0));
    QVERIFY(result->droppedMessages >= 0);
    // Kept messages are whole: text identical to the input's.
    for (const Message &m : result->messages) {
        if (m.role == Message::Role::System)
            continue;
        const auto original = std::find_if(messages.cbegin(), messages.cend(),
                                           [&](const Message &o) { return o.id == m.id; });
        QCOMPARE(m.plainText(), original->plainText());
    }
}

void TestContextAssembler::systemPromptComesFirst()
{
    const auto result =
        ContextAssembler::assemble(u"Be brief."_s, branch(u"u3 a3 u3"_s), 1000, 100);
    QVERIFY(result.ok());
    QCOMPARE(result->messages.first().role, Message::Role::System);
    QCOMPARE(result->messages.first().plainText(), u"Be brief."_s);
    QCOMPARE(result->messages.size(), 4);
    QCOMPARE(result->estimatedInputTokens,
             TokenEstimate::PerRequestOverhead + TokenEstimate::forMessage(u"Be brief.")
                 + cost(3) * 3);
}

void TestContextAssembler::emptyMessagesAreSkipped()
{
    QList<Message> messages = branch(u"u3 a3 u3"_s);
    messages[1].content = { ContentPart::fromText(QString()) }; // failed empty answer
    const auto result = ContextAssembler::assemble({}, messages, 1000, 0);
    QVERIFY(result.ok());
    QCOMPARE(result->messages.size(), 2);
    QCOMPARE(result->droppedMessages, 0);
}

void TestContextAssembler::filePartsCount()
{
    QList<Message> messages = branch(u"u3"_s);
    messages[0].content.append(ContentPart::fromFile(u"f1"_s, u"image/png"_s, u"a.png"_s));
    QCOMPARE(ContextAssembler::estimateMessage(messages[0]),
             cost(3) + ContextAssembler::TokensPerFilePart);
    const auto result = ContextAssembler::assemble({}, messages, 100, 0);
    QCOMPARE(result.error().code, QString(errc::ContextTooLong));
}

void TestContextAssembler::pricing_data()
{
    QTest::addColumn<qint64>("input");
    QTest::addColumn<qint64>("cached");
    QTest::addColumn<qint64>("output");
    QTest::addColumn<qint64>("expectedMicros");
    // Prices: $2.50 input, $1.25 cached, $10 output per million.
    QTest::newRow("nothing") << qint64(0) << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("one million each way")
        << qint64(1'000'000) << qint64(0) << qint64(1'000'000) << qint64(12'500'000);
    QTest::newRow("cached part at the cached price")
        << qint64(1'000'000) << qint64(400'000) << qint64(0) << qint64(1'500'000 + 500'000);
    QTest::newRow("cached beyond input is clamped")
        << qint64(100) << qint64(500) << qint64(0) << qint64(125); // all 100 at $1.25/M
    QTest::newRow("one output token rounds 10 micros exactly")
        << qint64(0) << qint64(0) << qint64(1) << qint64(10);
    QTest::newRow("half a micro rounds up once over the sum")
        << qint64(1) << qint64(0) << qint64(0) << qint64(3); // 2.5 -> 3
    QTest::newRow("sum rounded once, not per part")
        << qint64(3) << qint64(2) << qint64(0) << qint64(5); // 2.5*1 + 1.25*2 = 5.0
}

void TestContextAssembler::pricing()
{
    QFETCH(qint64, input);
    QFETCH(qint64, cached);
    QFETCH(qint64, output);
    QFETCH(qint64, expectedMicros);
    const DeploymentPrices prices { 2'500'000, 10'000'000, 1'250'000 };
    Usage usage;
    usage.inputTokens = input;
    usage.cachedTokens = cached;
    usage.outputTokens = output;
    QCOMPARE(Pricing::cost(usage, prices).micros(), expectedMicros);
    // Same rule as the API's ModelInfo::costOf.
    ModelInfo info;
    info.inputMicrosPerMillion = prices.inputMicrosPerMillion;
    info.outputMicrosPerMillion = prices.outputMicrosPerMillion;
    info.cachedMicrosPerMillion = prices.cachedMicrosPerMillion;
    QCOMPARE(info.costOf(usage), Pricing::cost(usage, prices));
}

QTEST_GUILESS_MAIN(TestContextAssembler)
#include "tst_contextassembler.moc"
