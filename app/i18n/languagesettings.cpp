#include "languagesettings.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QSettings>
#include <QTranslator>
#include <QVariantMap>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcI18n, "parlance.client.i18n")

namespace parlance::client {

namespace {

const QString SettingKey = u"appearance/language"_s;

// Languages with a catalogue in translations/. English is the source text.
struct Language
{
    QString code;
    QString nativeName;
};

QList<Language> languages()
{
    return { { u"en"_s, u"English"_s }, { u"de"_s, u"Deutsch"_s } };
}

bool isKnown(const QString &code)
{
    for (const Language &language : languages()) {
        if (language.code == code)
            return true;
    }
    return false;
}

} // namespace

LanguageSettings::LanguageSettings(QObject *parent)
    : QObject(parent)
    , m_language(savedLanguage())
{ }

void LanguageSettings::setLanguage(const QString &code)
{
    const QString chosen = isKnown(code) ? code : QString();
    if (chosen == m_language)
        return;
    m_language = chosen;
    QSettings().setValue(SettingKey, m_language);
    Q_EMIT languageChanged();
}

QVariantList LanguageSettings::available()
{
    QVariantList out;
    out.append(QVariantMap { { u"code"_s, QString() }, { u"name"_s, tr("System language") } });
    for (const Language &language : languages())
        out.append(
            QVariantMap { { u"code"_s, language.code }, { u"name"_s, language.nativeName } });
    return out;
}

QString LanguageSettings::savedLanguage()
{
    const QString saved = QSettings().value(SettingKey).toString();
    return isKnown(saved) ? saved : QString();
}

QString &LanguageSettings::startLanguage()
{
    static QString language;
    return language;
}

QString LanguageSettings::installTranslators(QCoreApplication &app)
{
    const QString saved = savedLanguage();
    startLanguage() = saved;
    const QLocale locale = saved.isEmpty() ? QLocale::system() : QLocale(saved);
    if (!saved.isEmpty())
        QLocale::setDefault(locale); // dates and numbers follow the chosen language too

    // The translators live as long as the application.
    auto *own = new QTranslator(&app);
    QString installed = u"en"_s;
    // Tries parlance_de_DE, parlance_de, ... from the locale's UI languages.
    if (own->load(locale, u"parlance"_s, u"_"_s, u":/i18n"_s)) {
        QCoreApplication::installTranslator(own);
        installed = own->language();
    } else {
        delete own;
    }
    // Qt's own strings (OK / Cancel of standard dialog buttons), when the
    // system has Qt's translations installed.
    auto *qt = new QTranslator(&app);
    if (!installed.startsWith(u"en"_s)
        && qt->load(locale, u"qtbase"_s, u"_"_s,
                    QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
    } else {
        delete qt;
    }
    qCDebug(lcI18n) << "interface language" << installed << "for" << locale.name();
    return installed;
}

} // namespace parlance::client
