#pragma once

#include "transcriptchannel.h"

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <memory>

class QUrl;
class TranscriptDocument;
struct TranscriptMessage;

// Follows a message model and keeps the transcript page in step with it.
//
// The model is any QAbstractItemModel (a list: top-level rows) with these role
// names, looked up by name from roleNames(): messageId, role, text, status,
// errorMessage, siblingIndex, siblingCount (docs/transcript.md). Changes are
// coalesced and pushed at most once per frame (about 16 ms) as operations on
// `channel`, the object to publish to the page (WebChannel in TranscriptView.qml).
// A streaming message costs, per push, the render of its open tail, never of
// the whole message.
//
// No WebEngine types here: the browser build can connect `channel` to the
// page's own DOM instead.
class TranscriptBridge : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QAbstractItemModel *model READ model WRITE setModel NOTIFY modelChanged)
    // Follows the application palette until set; reset to follow it again.
    Q_PROPERTY(bool darkTheme READ darkTheme WRITE setDarkTheme RESET resetDarkTheme NOTIFY
                   darkThemeChanged)
    // Base font size of the transcript in CSS pixels (10 to 32).
    Q_PROPERTY(int fontSize READ fontSize WRITE setFontSize NOTIFY fontSizeChanged)
    Q_PROPERTY(TranscriptChannel *channel READ channel CONSTANT)
    // True once the page has connected and asked for its content.
    Q_PROPERTY(bool pageReady READ isPageReady NOTIFY pageReadyChanged)

public:
    explicit TranscriptBridge(QObject *parent = nullptr);
    ~TranscriptBridge() override;

    [[nodiscard]] QAbstractItemModel *model() const { return m_model; }
    void setModel(QAbstractItemModel *model);
    [[nodiscard]] bool darkTheme() const;
    void setDarkTheme(bool dark);
    void resetDarkTheme();
    [[nodiscard]] int fontSize() const;
    void setFontSize(int px);
    [[nodiscard]] TranscriptChannel *channel() const { return m_channel; }
    [[nodiscard]] bool isPageReady() const { return m_pageReady; }

    // Opens http, https and mailto URLs with the system's handler; refuses
    // anything else. Returns whether it opened the URL. The view calls this for
    // every navigation away from the page.
    Q_INVOKABLE bool openExternally(const QUrl &url);

    // Pushes pending changes now rather than at the next frame.
    void flush();

    // Time spent in C++ for the page: following the model (reading roles on
    // each change) and pushing (rendering markdown, building the operations,
    // handing them to the channel). For the benchmark.
    struct Stats
    {
        qint64 pushes = 0;
        qint64 pushNanos = 0;
        qint64 modelNanos = 0;
    };
    [[nodiscard]] Stats stats() const { return m_stats; }
    void resetStats() { m_stats = {}; }

Q_SIGNALS:
    void modelChanged();
    void darkThemeChanged();
    void fontSizeChanged();
    void pageReadyChanged();
    // The page asked for the previous (-1) or next (+1) version of a message.
    void siblingRequested(const QString &messageId, int direction);
    void codeCopied();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void connectModel();
    void lookUpRoles();
    [[nodiscard]] TranscriptMessage messageAt(int row) const;
    [[nodiscard]] QList<TranscriptMessage> messagesIn(int first, int last) const;
    void reloadAll();
    void onRowsInserted(const QModelIndex &parent, int first, int last);
    void onRowsRemoved(const QModelIndex &parent, int first, int last);
    void onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                       const QList<int> &roles);
    void onPageReady();
    void schedulePush();
    [[nodiscard]] bool paletteIsDark() const;

    QPointer<QAbstractItemModel> m_model;
    QList<QMetaObject::Connection> m_modelConnections;
    struct Roles
    {
        int messageId = -1, role = -1, text = -1, status = -1, errorMessage = -1, siblingIndex = -1,
            siblingCount = -1;
    } m_roles;
    std::unique_ptr<TranscriptDocument> m_document;
    TranscriptChannel *m_channel = nullptr;
    QTimer m_pushTimer;
    QElapsedTimer m_sinceLastPush;
    Stats m_stats;
    bool m_pageReady = false;
    bool m_followPalette = true;
};
