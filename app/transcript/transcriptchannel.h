#pragma once

#include <QJsonArray>
#include <QObject>
#include <QString>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

// The one object the transcript page sees (over QWebChannel on the desktop).
// Kept apart from TranscriptBridge so that the page cannot reach the message
// model or anything else QML sets on the bridge: every property, signal and
// invokable here is callable by the page, and nothing more.
class TranscriptChannel : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by TranscriptBridge: use TranscriptBridge.channel")
    Q_PROPERTY(bool darkTheme READ darkTheme NOTIFY darkThemeChanged)
    Q_PROPERTY(int fontSize READ fontSize NOTIFY fontSizeChanged)
    // Translated texts the page shows (status badges, buttons).
    Q_PROPERTY(QVariantMap labels READ labels CONSTANT)

public:
    explicit TranscriptChannel(QObject *parent = nullptr);

    [[nodiscard]] bool darkTheme() const { return m_darkTheme; }
    [[nodiscard]] int fontSize() const { return m_fontSize; }
    [[nodiscard]] QVariantMap labels() const;

    void setDarkTheme(bool dark);
    void setFontSize(int px);

    // Called by the page.
    // The page has connected to `updates` and holds no messages yet.
    Q_INVOKABLE void ready();
    Q_INVOKABLE void copyCode(const QString &code);
    Q_INVOKABLE void openLink(const QString &url);
    // direction -1 or +1: show the previous or next sibling of a message.
    Q_INVOKABLE void switchSibling(const QString &messageId, int direction);

Q_SIGNALS:
    void darkThemeChanged();
    void fontSizeChanged();
    // To the page: operations to apply in order (docs/transcript.md).
    void updates(const QJsonArray &ops);

    // To TranscriptBridge.
    void pageReady();
    void copyRequested(const QString &code);
    void linkRequested(const QString &url);
    void siblingRequested(const QString &messageId, int direction);

private:
    bool m_darkTheme = false;
    int m_fontSize = 15;
};
