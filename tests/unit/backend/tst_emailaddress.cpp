#include "auth/emailaddress.h"
#include "contract/errorcodes.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

// Four 61-byte labels and ".com": 251 bytes.
QString longDomain()
{
    return QString(61, u'b') + u'.' + QString(61, u'c') + u'.' + QString(61, u'd') + u'.'
        + QString(61, u'e') + u".com"_s;
}

} // namespace

class TestEmailAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void accepted_data();
    void accepted();
    void refused_data();
    void refused();
};

void TestEmailAddress::accepted_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QString>("normalised");
    QTest::newRow("plain") << u"alice@example.com"_s << u"alice@example.com"_s;
    QTest::newRow("trimmed") << u"  alice@example.com \t\n"_s << u"alice@example.com"_s;
    QTest::newRow("whole address lower-cased")
        << u"Alice.Smith@Example.COM"_s << u"alice.smith@example.com"_s;
    QTest::newRow("plus tag kept") << u"alice+chat@example.com"_s << u"alice+chat@example.com"_s;
    QTest::newRow("atext specials") << u"o'neil_{x}~!#$%&*=?^`|-/@ex-ample.co.uk"_s
                                    << u"o'neil_{x}~!#$%&*=?^`|-/@ex-ample.co.uk"_s;
    QTest::newRow("unicode local part") << u"JÖRG@example.de"_s << u"jörg@example.de"_s;
    QTest::newRow("decomposed becomes NFC")
        << u"jo\u0308rg@example.de"_s << u"j\u00f6rg@example.de"_s;
    QTest::newRow("internationalised domain")
        << u"user@bücher.example"_s << u"user@bücher.example"_s;
    QTest::newRow("decomposed capital becomes NFC lower case")
        << u"JO\u0308RG@example.de"_s << u"j\u00f6rg@example.de"_s;
    QTest::newRow("cyrillic") << u"Иван@пример.рф"_s << u"иван@пример.рф"_s;
    QTest::newRow("64-byte local part")
        << QString(64, u'a') + u"@example.com"_s << QString(64, u'a') + u"@example.com"_s;
    QTest::newRow("254 bytes") << u"ab@"_s + longDomain() << u"ab@"_s + longDomain();
    QTest::newRow("punycode domain")
        << u"a@xn--bcher-kva.example"_s << u"a@xn--bcher-kva.example"_s;
}

void TestEmailAddress::accepted()
{
    QFETCH(QString, input);
    QFETCH(QString, normalised);
    const auto result = EmailAddress::normalise(input);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
    QCOMPARE(*result, normalised);
}

void TestEmailAddress::refused_data()
{
    QTest::addColumn<QString>("input");
    QTest::newRow("empty") << QString();
    QTest::newRow("spaces") << u"   "_s;
    QTest::newRow("no at") << u"alice.example.com"_s;
    QTest::newRow("two ats") << u"alice@bob@example.com"_s;
    QTest::newRow("quoted local part") << u"\"alice smith\"@example.com"_s;
    QTest::newRow("empty local part") << u"@example.com"_s;
    QTest::newRow("empty domain") << u"alice@"_s;
    QTest::newRow("leading dot") << u".alice@example.com"_s;
    QTest::newRow("trailing dot") << u"alice.@example.com"_s;
    QTest::newRow("double dot") << u"al..ice@example.com"_s;
    QTest::newRow("space inside") << u"ali ce@example.com"_s;
    QTest::newRow("comma") << u"alice,bob@example.com"_s;
    QTest::newRow("control character") << u"ali\u0001ce@example.com"_s;
    QTest::newRow("zero-width joiner") << u"ali\u200dce@example.com"_s;
    QTest::newRow("no dot in domain") << u"admin@localhost"_s;
    QTest::newRow("domain trailing dot") << u"alice@example.com."_s;
    QTest::newRow("domain empty label") << u"alice@example..com"_s;
    QTest::newRow("label starts with hyphen") << u"alice@-example.com"_s;
    QTest::newRow("label ends with hyphen") << u"alice@example-.com"_s;
    QTest::newRow("underscore in domain") << u"alice@ex_ample.com"_s;
    QTest::newRow("ip literal") << u"alice@[192.0.2.1]"_s;
    QTest::newRow("dotted ip") << u"alice@192.0.2.1"_s;
    QTest::newRow("65-byte local part") << QString(65, u'a') + u"@example.com"_s;
    QTest::newRow("64-byte label") << u"a@"_s + QString(64, u'b') + u".com"_s;
    QTest::newRow("255 bytes") << u"abc@"_s + longDomain();
    QTest::newRow("huge") << QString(100000, u'a') + u"@example.com"_s;
    QTest::newRow("lone surrogate") << QString(u"ali"_s + QChar(0xd800) + u"ce@example.com"_s);
}

void TestEmailAddress::refused()
{
    QFETCH(QString, input);
    const auto result = EmailAddress::normalise(input);
    QVERIFY2(!result.ok(), qPrintable(result.ok() ? *result : QString()));
    QCOMPARE(result.error().code, QString(errc::InvalidField));
    QVERIFY(result.error().message.startsWith(u"The email address is not valid"_s));
}

QTEST_GUILESS_MAIN(TestEmailAddress)
#include "tst_emailaddress.moc"
