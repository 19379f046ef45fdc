#pragma once

#include <QObject>
#include <QString>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class QCoreApplication;

namespace parlance::client {

// The interface language: the system's (the default), or one the user picked
// in Settings. The choice is read once at start, before the first window,
// by installTranslators(); changing it takes effect at the next start (so no
// view has to re-translate itself live). Registered in QML as the singleton
// Language.
class LanguageSettings : public QObject
{
    Q_OBJECT
    QML_NAMED_ELEMENT(Language)
    QML_SINGLETON
    // "" for the system's language, else a code from `available` ("en", "de").
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    // [{ code, name }] with the system choice first; names in their own language.
    Q_PROPERTY(QVariantList available READ available CONSTANT)
    // The choice differs from the language this run started with.
    Q_PROPERTY(bool restartRequired READ restartRequired NOTIFY languageChanged)

public:
    explicit LanguageSettings(QObject *parent = nullptr);

    [[nodiscard]] QString language() const { return m_language; }
    void setLanguage(const QString &code);
    [[nodiscard]] static QVariantList available();
    [[nodiscard]] bool restartRequired() const { return m_language != startLanguage(); }

    // The saved choice (empty: follow the system).
    [[nodiscard]] static QString savedLanguage();
    // Installs the app's translation (embedded under :/i18n) and Qt's own
    // (standard dialog buttons) for the saved choice or the system locale.
    // Call once, after the application and its organisation name exist.
    // Returns the catalogue's language ("de_DE"), or "en" when none was
    // loaded and the source text is used.
    static QString installTranslators(QCoreApplication &app);

Q_SIGNALS:
    void languageChanged();

private:
    [[nodiscard]] static QString &startLanguage();

    QString m_language;
};

} // namespace parlance::client
