#include "auth/passwordpolicy.h"
#include "contract/errorcodes.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

class TestPasswordPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultPolicy_data();
    void defaultPolicy();
    void customMinimum();
    void maximumCannotExceedWhatTheHasherAccepts();
};

void TestPasswordPolicy::defaultPolicy_data()
{
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("email");
    // Empty when accepted, otherwise a phrase the message must contain.
    QTest::addColumn<QString>("complaint");

    QTest::newRow("long passphrase")
        << u"correct horse battery staple"_s << u"a@b.io"_s << QString();
    QTest::newRow("exactly ten") << u"abcdefghij"_s << QString() << QString();
    QTest::newRow("nine") << u"abcdefghi"_s << QString() << u"at least 10 characters"_s;
    QTest::newRow("empty") << QString() << QString() << u"at least 10 characters"_s;
    // Code points, not UTF-16 units: nine emoji are 18 units but 9 characters.
    QTest::newRow("nine emoji") << QString(u"🔑🔑🔑🔑🔑🔑🔑🔒🔒"_s) << QString()
                                << u"at least 10 characters"_s;
    QTest::newRow("ten emoji") << QString(u"🔑🔑🔑🔑🔑🔑🔑🔒🔒🔒"_s) << QString() << QString();
    QTest::newRow("combining marks counted after NFKC")
        << u"e\u0301e\u0301e\u0301e\u0301e\u0301"_s << QString() << u"at least 10"_s;
    QTest::newRow("only spaces") << QString(12, u' ') << QString() << u"only of spaces"_s;
    QTest::newRow("only mixed whitespace")
        << u" \t \n \u3000 \t \n  "_s << QString() << u"only of spaces"_s;
    QTest::newRow("one character repeated")
        << QString(12, u'a') << QString() << u"single character repeated"_s;
    QTest::newRow("equals email") << u"Alice.Smith@Example.com"_s << u"alice.smith@example.com"_s
                                  << u"email address"_s;
    QTest::newRow("equals email with spaces")
        << u" alice.smith@example.com "_s << u"alice.smith@example.com"_s << u"email address"_s;
    QTest::newRow("equals local part")
        << u"ALICE.SMITH.1990"_s << u"alice.smith.1990@example.com"_s << u"email address"_s;
    QTest::newRow("contains email is fine")
        << u"alice.smith@example.com!!"_s << u"alice.smith@example.com"_s << QString();
    QTest::newRow("1024 bytes") << QString(1024, u'x').replace(0, 1, u'y') << QString()
                                << QString();
    QTest::newRow("1025 bytes") << QString(1025, u'x').replace(0, 1, u'y') << QString()
                                << u"too long"_s;
    QTest::newRow("1027 UTF-8 bytes in 343 characters")
        << QString(343, QChar(0x20ac)).replace(0, 1, u'y') << QString() << u"too long"_s;
}

void TestPasswordPolicy::defaultPolicy()
{
    QFETCH(QString, password);
    QFETCH(QString, email);
    QFETCH(QString, complaint);
    const Status result = PasswordPolicy().check(password, email);
    if (complaint.isEmpty()) {
        QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
        return;
    }
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QString(errc::WeakPassword));
    QVERIFY2(result.error().message.contains(complaint), qPrintable(result.error().message));
}

void TestPasswordPolicy::customMinimum()
{
    const PasswordPolicy policy(PasswordPolicySettings { 8, 1024 });
    QVERIFY(policy.check(u"abcdefgh"_s).ok());
    const Status result = policy.check(u"abcdefg"_s);
    QVERIFY(!result.ok());
    QVERIFY(result.error().message.contains(u"at least 8 characters"_s));
}

void TestPasswordPolicy::maximumCannotExceedWhatTheHasherAccepts()
{
    const PasswordPolicy policy(PasswordPolicySettings { 10, 100000 });
    QCOMPARE(policy.settings().maxBytes, 1024);
    QVERIFY(!policy.check(QString(2000, u'x').replace(0, 1, u'y')).ok());
}

QTEST_GUILESS_MAIN(TestPasswordPolicy)
#include "tst_passwordpolicy.moc"
