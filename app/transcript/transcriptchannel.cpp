#include "transcriptchannel.h"

using namespace Qt::StringLiterals;

TranscriptChannel::TranscriptChannel(QObject *parent)
    : QObject(parent)
{ }

QVariantMap TranscriptChannel::labels() const
{
    return {
        { u"copy"_s, tr("Copy") },           { u"copied"_s, tr("Copied") },
        { u"stopped"_s, tr("Stopped") },     { u"interrupted"_s, tr("Interrupted") },
        { u"error"_s, tr("Error") },         { u"previous"_s, tr("Previous version") },
        { u"next"_s, tr("Next version") },   { u"user"_s, tr("You") },
        { u"assistant"_s, tr("Assistant") }, { u"system"_s, tr("System") },
    };
}

void TranscriptChannel::setDarkTheme(bool dark)
{
    if (m_darkTheme == dark)
        return;
    m_darkTheme = dark;
    Q_EMIT darkThemeChanged();
}

void TranscriptChannel::setFontSize(int px)
{
    if (m_fontSize == px)
        return;
    m_fontSize = px;
    Q_EMIT fontSizeChanged();
}

void TranscriptChannel::ready()
{
    Q_EMIT pageReady();
}

void TranscriptChannel::copyCode(const QString &code)
{
    Q_EMIT copyRequested(code);
}

void TranscriptChannel::openLink(const QString &url)
{
    Q_EMIT linkRequested(url);
}

void TranscriptChannel::switchSibling(const QString &messageId, int direction)
{
    Q_EMIT siblingRequested(messageId, direction);
}
