#include "common/tokenestimate.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {
const QString dataDir = QStringLiteral(PARLANCE_TEST_DATA_DIR "/tokenestimate/");

QJsonObject references()
{
    QFile file(dataDir + u"reference.json"_s);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing reference.json");
    return QJsonDocument::fromJson(file.readAll()).object();
}
} // namespace

class TestTokenEstimate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void smallTexts_data();
    void smallTexts();
    void fixtureIsWithinToleranceOfRealTokenizers_data();
    void fixtureIsWithinToleranceOfRealTokenizers();
    void everyFixtureHasAReference();
    void messageAddsChatOverhead();
    void brokenSurrogatesDoNotCrash();
};

void TestTokenEstimate::smallTexts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("tokens");

    // Exact expectations for the rules the heuristic states. Where the real
    // tokenizers differ, the comment gives cl100k_base / o200k_base: single
    // items are where a vocabulary-free rule is furthest off, and the fixture
    // test below shows that the errors even out over real text.
    QTest::newRow("empty") << QString() << qint64(0);
    QTest::newRow("one word") << u"hello"_s << qint64(1);
    QTest::newRow("two words, space joins the second") << u"hello world"_s << qint64(2);
    QTest::newRow("sentence with full stop") << u"The cat sat."_s << qint64(4);
    QTest::newRow("digits in threes") << u"1234567"_s << qint64(3);
    QTest::newRow("camelCase splits at humps") << u"unitPriceMicros"_s << qint64(3); // 4 / 4
    QTest::newRow("all caps stays whole") << u"HTTP"_s << qint64(1);
    QTest::newRow("mark before a word joins it") << u".get"_s << qint64(1);
    QTest::newRow("punctuation run swallows line break") << u"x;\n"_s << qint64(2);
    QTest::newRow("indentation is one token") << u"\n        x"_s << qint64(3);
    QTest::newRow("CJK one per character") << u"中文字"_s << qint64(3); // 2 / 1
    QTest::newRow("emoji outside the BMP") << u"🎉"_s << qint64(2); // 3 / 2
    QTest::newRow("long word costs more") << u"internationalization"_s << qint64(4); // 2 / 2
    QTest::newRow("Cyrillic by letters") << u"привет"_s << qint64(3); // 4 / 2
}

void TestTokenEstimate::smallTexts()
{
    QFETCH(QString, text);
    QFETCH(qint64, tokens);
    QCOMPARE(TokenEstimate::forText(text), tokens);
}

void TestTokenEstimate::fixtureIsWithinToleranceOfRealTokenizers_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<qint64>("cl100k");
    QTest::addColumn<qint64>("o200k");

    const QJsonObject refs = references();
    for (auto it = refs.begin(); it != refs.end(); ++it) {
        const QJsonObject counts = it.value().toObject();
        QTest::newRow(qPrintable(it.key()))
            << it.key() << counts.value(u"cl100k_base"_s).toInteger()
            << counts.value(u"o200k_base"_s).toInteger();
    }
}

// Tolerance: within 20 % of the range the two tokenizers span. Tokenizers
// disagree with each other by up to 40 % on non-Latin scripts (o200k has a
// larger vocabulary), and a vocabulary-free estimate cannot know which word is
// one token and which is four; 20 % is what the context trimmer's safety
// margin absorbs. Latin text and code usually land within 10 %.
void TestTokenEstimate::fixtureIsWithinToleranceOfRealTokenizers()
{
    QFETCH(QString, file);
    QFETCH(qint64, cl100k);
    QFETCH(qint64, o200k);

    QFile text(dataDir + file);
    QVERIFY(text.open(QIODevice::ReadOnly));
    const qint64 estimate = TokenEstimate::forText(QString::fromUtf8(text.readAll()));
    const double low = 0.8 * double(qMin(cl100k, o200k));
    const double high = 1.2 * double(qMax(cl100k, o200k));
    QVERIFY2(
        estimate >= low && estimate <= high,
        qPrintable(u"estimate %1, cl100k %2, o200k %3"_s.arg(estimate).arg(cl100k).arg(o200k)));
}

void TestTokenEstimate::everyFixtureHasAReference()
{
    const QStringList texts = QDir(dataDir).entryList({ u"*.txt"_s }, QDir::Files);
    QVERIFY(texts.size() >= 10);
    const QJsonObject refs = references();
    for (const QString &name : texts)
        QVERIFY2(refs.contains(name), qPrintable(name));
    QCOMPARE(refs.size(), texts.size());
}

void TestTokenEstimate::messageAddsChatOverhead()
{
    QCOMPARE(TokenEstimate::forMessage(QString()), TokenEstimate::PerMessageOverhead);
    QCOMPARE(TokenEstimate::forMessage(u"hello world"_s), 2 + TokenEstimate::PerMessageOverhead);
}

void TestTokenEstimate::brokenSurrogatesDoNotCrash()
{
    const QChar lonelyHigh(char16_t(0xD83C));
    const QChar lonelyLow(char16_t(0xDF89));
    QCOMPARE(TokenEstimate::forText(QString(lonelyHigh)), qint64(1));
    QCOMPARE(TokenEstimate::forText(QString(lonelyLow)), qint64(1));
    QCOMPARE(TokenEstimate::forText(QString(u"a"_s + lonelyHigh)), qint64(2));
}

QTEST_GUILESS_MAIN(TestTokenEstimate)
#include "tst_tokenestimate.moc"
