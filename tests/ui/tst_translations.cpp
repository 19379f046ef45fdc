// The embedded catalogues (translations/, compiled into the client under
// :/i18n) and LanguageSettings: German covers the main screens, plurals follow
// the count, the saved choice picks the catalogue at start, and the source
// .ts leaves no string of the main screens unfinished.
#include "i18n/languagesettings.h"

#include <QCoreApplication>
#include <QFile>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using parlance::client::LanguageSettings;

namespace {

const QString LanguageKey = u"appearance/language"_s;

void removeInstalledTranslators()
{
    // Deleting a translator uninstalls it.
    const auto translators = qApp->findChildren<QTranslator *>();
    for (QTranslator *translator : translators)
        delete translator;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_config;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        // Settings of this test only, never the user's.
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
        QCoreApplication::setOrganizationName(u"ParlanceTests"_s);
        QCoreApplication::setApplicationName(u"Translations"_s);
    }

    void cleanup()
    {
        removeInstalledTranslators();
        QSettings().remove(LanguageKey);
    }

    void germanTranslatesTheMainScreens_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("german");
        QTest::newRow("sign-in button") << u"SignInPage"_s << u"Sign in"_s << u"Anmelden"_s;
        QTest::newRow("sign-in password") << u"SignInPage"_s << u"Password"_s << u"Passwort"_s;
        QTest::newRow("composer send") << u"Composer"_s << u"Send"_s << u"Senden"_s;
        QTest::newRow("composer stop") << u"Composer"_s << u"Stop"_s << u"Stopp"_s;
        QTest::newRow("sidebar trash") << u"Sidebar"_s << u"Trash"_s << u"Papierkorb"_s;
        QTest::newRow("row menu") << u"ConversationDelegate"_s << u"Delete"_s << u"Löschen"_s;
        QTest::newRow("section") << u"ConversationSection"_s << u"Today"_s << u"Heute"_s;
        QTest::newRow("settings theme") << u"SettingsDialog"_s << u"Theme"_s << u"Farbschema"_s;
        QTest::newRow("settings language") << u"parlance::client::LanguageSettings"_s
                                           << u"System language"_s << u"Systemsprache"_s;
        QTest::newRow("undo notice") << u"ChatPage"_s << u"“%1” moved to the trash"_s
                                     << u"„%1“ in den Papierkorb verschoben"_s;
    }
    void germanTranslatesTheMainScreens()
    {
        QFETCH(QString, context);
        QFETCH(QString, source);
        QFETCH(QString, german);
        QTranslator translator;
        QVERIFY(translator.load(u":/i18n/parlance_de.qm"_s));
        QCOMPARE(translator.language(), u"de_DE"_s);
        QCOMPARE(translator.translate(context.toUtf8().constData(), source.toUtf8().constData()),
                 german);
    }

    void germanPluralsFollowTheCount_data()
    {
        QTest::addColumn<int>("seconds");
        QTest::addColumn<QString>("german");
        QTest::newRow("one") << 1 << u"Zu viele Versuche. Versuche es in %n Sekunde erneut."_s;
        QTest::newRow("many") << 30 << u"Zu viele Versuche. Versuche es in %n Sekunden erneut."_s;
    }
    void germanPluralsFollowTheCount()
    {
        QFETCH(int, seconds);
        QFETCH(QString, german);
        QTranslator translator;
        QVERIFY(translator.load(u":/i18n/parlance_de.qm"_s));
        QCOMPARE(translator.translate("Session", "Too many attempts. Try again in %n second(s).",
                                      nullptr, seconds),
                 german);
    }

    // Every string of the sign-in page, composer, sidebar and settings has a
    // finished German text in the source catalogue.
    void noMainScreenStringIsLeftUntranslated()
    {
        const QSet<QString> required {
            u"SignInPage"_s,           u"Composer"_s,       u"Sidebar"_s,
            u"ConversationDelegate"_s, u"SettingsDialog"_s, u"LanguagePicker"_s,
            u"ConversationSection"_s
        };
        QFile file(QStringLiteral(PARLANCE_SOURCE_DIR "/translations/parlance_de.ts"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&file);
        QString context;
        QString source;
        QSet<QString> seen;
        QStringList unfinished;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            if (xml.name() == u"name") {
                context = xml.readElementText();
            } else if (xml.name() == u"source") {
                source = xml.readElementText();
            } else if (xml.name() == u"translation" && required.contains(context)) {
                seen.insert(context);
                const bool isUnfinished = xml.attributes().value(u"type"_s) == u"unfinished";
                const QString text =
                    xml.readElementText(QXmlStreamReader::IncludeChildElements).trimmed();
                if (isUnfinished || text.isEmpty())
                    unfinished.append(context + u": "_s + source);
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QCOMPARE(seen, required);
        QVERIFY2(unfinished.isEmpty(), qPrintable(unfinished.join(u"\n"_s)));
    }

    void savedLanguagePicksTheCatalogue_data()
    {
        QTest::addColumn<QString>("saved");
        QTest::addColumn<QString>("installed");
        QTest::addColumn<QString>("send");
        QTest::newRow("Deutsch") << u"de"_s << u"de_DE"_s << u"Senden"_s;
        QTest::newRow("English") << u"en"_s << u"en_US"_s << u"Send"_s;
    }
    void savedLanguagePicksTheCatalogue()
    {
        QFETCH(QString, saved);
        QFETCH(QString, installed);
        QFETCH(QString, send);
        QSettings().setValue(LanguageKey, saved);
        QCOMPARE(LanguageSettings::installTranslators(*qApp), installed);
        QCOMPARE(QCoreApplication::translate("Composer", "Send"), send);
    }

    void anUnknownSavedLanguageMeansTheSystems()
    {
        QSettings().setValue(LanguageKey, u"xx"_s);
        QCOMPARE(LanguageSettings::savedLanguage(), QString());
        QCOMPARE(LanguageSettings().language(), QString());
    }

    void aNewChoiceIsSavedForTheNextStart()
    {
        QSettings().setValue(LanguageKey, u"en"_s);
        (void)LanguageSettings::installTranslators(*qApp); // this run started in English
        LanguageSettings settings;
        QCOMPARE(settings.language(), u"en"_s);
        QVERIFY(!settings.restartRequired());
        QSignalSpy changed(&settings, &LanguageSettings::languageChanged);

        settings.setLanguage(u"de"_s);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(LanguageSettings::savedLanguage(), u"de"_s);
        QVERIFY(settings.restartRequired());
        // Still English until the next start.
        QCOMPARE(QCoreApplication::translate("Composer", "Send"), u"Send"_s);

        settings.setLanguage(u"klingon"_s); // not offered: the system's language
        QCOMPARE(settings.language(), QString());
        QCOMPARE(LanguageSettings::savedLanguage(), QString());
        QCOMPARE(changed.size(), 2);
    }

    void theChoicesListTheSystemFirst()
    {
        const QVariantList available = LanguageSettings::available();
        QVERIFY(available.size() >= 3);
        QCOMPARE(available.first().toMap().value(u"code"_s).toString(), QString());
        QStringList codes;
        for (const QVariant &entry : available)
            codes.append(entry.toMap().value(u"code"_s).toString());
        QVERIFY(codes.contains(u"de"_s));
        QVERIFY(codes.contains(u"en"_s));
    }
};

QTEST_GUILESS_MAIN(TestTranslations)

#include "tst_translations.moc"
