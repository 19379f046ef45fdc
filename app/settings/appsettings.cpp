#include "appsettings.h"

#include <QEvent>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace parlance::client {

namespace {

constexpr int DefaultFontSize = 15;

bool systemIsDark()
{
    const QPalette palette = QGuiApplication::palette();
    return palette.color(QPalette::Window).lightness()
        < palette.color(QPalette::WindowText).lightness();
}

} // namespace

AppSettings::AppSettings(QObject *parent)
    : QObject(parent)
{
    const int theme = m_settings.value(u"appearance/theme"_s, 0).toInt();
    m_theme = theme >= 0 && theme <= 2 ? Theme(theme) : Theme::System;
    m_fontSize = std::clamp(m_settings.value(u"appearance/fontSize"_s, DefaultFontSize).toInt(),
                            minimumFontSize(), maximumFontSize());
    m_lastDark = isDark();
    // The system palette changes when the desktop switches light/dark.
    if (qApp)
        qApp->installEventFilter(this);
}

void AppSettings::setTheme(Theme theme)
{
    if (m_theme == theme)
        return;
    m_theme = theme;
    m_settings.setValue(u"appearance/theme"_s, int(theme));
    Q_EMIT themeChanged();
    if (m_lastDark != isDark()) {
        m_lastDark = isDark();
        Q_EMIT darkChanged();
    }
}

bool AppSettings::isDark() const
{
    switch (m_theme) {
    case Theme::Light:
        return false;
    case Theme::Dark:
        return true;
    case Theme::System:
        break;
    }
    return systemIsDark();
}

void AppSettings::setFontSize(int px)
{
    px = std::clamp(px, minimumFontSize(), maximumFontSize());
    if (m_fontSize == px)
        return;
    m_fontSize = px;
    m_settings.setValue(u"appearance/fontSize"_s, px);
    Q_EMIT fontSizeChanged();
}

void AppSettings::resetFontSize()
{
    setFontSize(DefaultFontSize);
}

bool AppSettings::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange
        && m_lastDark != isDark()) {
        m_lastDark = isDark();
        Q_EMIT darkChanged();
    }
    return QObject::eventFilter(watched, event);
}

} // namespace parlance::client
