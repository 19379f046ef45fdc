#pragma once

#include <QObject>
#include <QSettings>
#include <QtQml/qqmlregistration.h>

namespace parlance::client {

// Preferences that outlive the session: theme and transcript font size.
// Registered in QML as the singleton Settings. `dark` is what views use: the
// chosen theme, or the system's when the choice is "system" (read from the
// palette, since Qt 6.4 has no color-scheme hint).
class AppSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use the Settings singleton")
    Q_PROPERTY(Theme theme READ theme WRITE setTheme NOTIFY themeChanged)
    Q_PROPERTY(bool dark READ isDark NOTIFY darkChanged)
    Q_PROPERTY(int fontSize READ fontSize WRITE setFontSize NOTIFY fontSizeChanged)
    Q_PROPERTY(int minimumFontSize READ minimumFontSize CONSTANT)
    Q_PROPERTY(int maximumFontSize READ maximumFontSize CONSTANT)

public:
    enum class Theme { System, Light, Dark };
    Q_ENUM(Theme)

    explicit AppSettings(QObject *parent = nullptr);

    [[nodiscard]] Theme theme() const { return m_theme; }
    void setTheme(Theme theme);
    [[nodiscard]] bool isDark() const;
    [[nodiscard]] int fontSize() const { return m_fontSize; }
    // Clamped to [minimumFontSize, maximumFontSize].
    void setFontSize(int px);
    [[nodiscard]] static int minimumFontSize() { return 10; }
    [[nodiscard]] static int maximumFontSize() { return 28; }

    Q_INVOKABLE void increaseFontSize() { setFontSize(m_fontSize + 1); }
    Q_INVOKABLE void decreaseFontSize() { setFontSize(m_fontSize - 1); }
    Q_INVOKABLE void resetFontSize();

Q_SIGNALS:
    void themeChanged();
    void darkChanged();
    void fontSizeChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QSettings m_settings;
    Theme m_theme = Theme::System;
    int m_fontSize = 15;
    bool m_lastDark = false;
};

} // namespace parlance::client
