#pragma once

#include "controllers/requeststatus.h"
#include "domain/conversation.h"
#include "domain/message.h"
#include "models/messagelistmodel.h"
#include "models/modellistmodel.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QtQml/qqmlregistration.h>

namespace parlance::client {

class ApiClient;
class LocalCache;
class StreamClient;
struct StartedAnswer;

// The open conversation: its messages, the answer being streamed, and what
// the user does to them (send, stop, regenerate, edit, switch branch, pick
// a model, edit the system prompt). Registered in QML as the singleton Chat.
//
// A new chat exists only on the client until its first message: send()
// creates the conversation, then posts the message. Answers stream through
// one StreamClient into the last row of `messages`; when the stream ends the
// stored message (with its final status, sibling counts and usage) replaces
// the streamed row.
class ChatController : public RequestStatus
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Use the Chat singleton")
    Q_PROPERTY(QString conversationId READ conversationId NOTIFY conversationChanged)
    Q_PROPERTY(QString title READ title NOTIFY conversationChanged)
    Q_PROPERTY(QString model READ model NOTIFY conversationChanged)
    Q_PROPERTY(QString systemPrompt READ systemPrompt NOTIFY conversationChanged)
    Q_PROPERTY(parlance::client::MessageListModel *messages READ messages CONSTANT)
    Q_PROPERTY(parlance::client::ModelListModel *models READ models CONSTANT)
    Q_PROPERTY(bool streaming READ isStreaming NOTIFY streamingChanged)
    Q_PROPERTY(bool reconnecting READ isReconnecting NOTIFY reconnectingChanged)
    Q_PROPERTY(bool hasOlder READ hasOlder NOTIFY hasOlderChanged)

public:
    explicit ChatController(ApiClient *api, QObject *parent = nullptr);
    ~ChatController() override;

    // The account's local cache (may be null): open() shows its copy of the
    // messages until the server answers; loaded and finished messages are saved.
    void setCache(LocalCache *cache) { m_cache = cache; }

    [[nodiscard]] QString conversationId() const { return m_conversation.id; }
    [[nodiscard]] QString title() const { return m_conversation.title; }
    [[nodiscard]] QString model() const;
    [[nodiscard]] QString systemPrompt() const { return m_conversation.systemPrompt; }
    [[nodiscard]] MessageListModel *messages() const { return m_messages; }
    [[nodiscard]] ModelListModel *models() const { return m_models; }
    [[nodiscard]] bool isStreaming() const { return !m_streamingId.isEmpty(); }
    [[nodiscard]] bool isReconnecting() const { return m_reconnecting; }
    [[nodiscard]] bool hasOlder() const { return m_hasOlder; }
    [[nodiscard]] const Conversation &conversation() const { return m_conversation; }

    // Opens a conversation: its newest messages, and resumes an answer still
    // streaming on the server.
    Q_INVOKABLE void open(const QString &conversationId);
    // An empty chat (created on the server at the first send).
    Q_INVOKABLE void newChat();
    Q_INVOKABLE void loadOlder();
    Q_INVOKABLE void refreshModels();

    // False (with errorMessage) when the text is empty or an answer is running.
    Q_INVOKABLE bool send(const QString &text);
    Q_INVOKABLE void stop();
    // A new answer beside the given assistant message (the last one if empty).
    Q_INVOKABLE void regenerate(const QString &assistantMessageId = {});
    // Edit and resend: a sibling of the user message with the new text.
    Q_INVOKABLE void edit(const QString &userMessageId, const QString &text);
    // The "< 2/3 >" switcher: step to the previous (-1) or next (+1) sibling.
    Q_INVOKABLE void switchSibling(const QString &messageId, int step);
    Q_INVOKABLE void setModel(const QString &modelId);
    Q_INVOKABLE void setSystemPrompt(const QString &prompt);
    // Copies a message's markdown, or the last fenced code block of the last
    // answer, to the clipboard. False when there is nothing to copy.
    Q_INVOKABLE bool copyMessage(const QString &messageId);
    Q_INVOKABLE bool copyLastCodeBlock();
    // The newest user message, for "Up edits the last message".
    Q_INVOKABLE QString lastUserMessageId() const;
    Q_INVOKABLE QString messageText(const QString &messageId) const;

    // The last fenced code block of a markdown text (without the fences).
    [[nodiscard]] static QString lastCodeBlock(const QString &markdown);
    // A title from the first message: its first line, at most `maxLength` chars.
    [[nodiscard]] static QString titleFrom(const QString &text, int maxLength = 60);

Q_SIGNALS:
    void conversationChanged();
    void streamingChanged();
    void reconnectingChanged();
    void hasOlderChanged();
    // The conversation was created, renamed or got new activity: the sidebar
    // upserts it.
    void conversationUpdated(const parlance::Conversation &conversation);
    // An answer ended (any status), for tests and for notifications.
    void answerFinished(const QString &messageId, const QString &status);

private:
    void postMessage(const QString &text);
    void beginAnswer(const StartedAnswer &started);
    void followStream(const QString &messageId, const QString &streamUrl);
    void finishAnswer(const QString &messageId);
    void reloadConversation();
    void reloadMessages();
    void setStreamingId(const QString &id);
    void setReconnecting(bool reconnecting);
    void setHasOlder(bool hasOlder);
    void setConversation(const Conversation &conversation);
    void saveToCache();
    // Leaving a conversation while its answer streams: remember the stream,
    // so coming back follows it again (the server kept generating).
    void leaveConversation();
    void resumeLeftStream();

    QPointer<ApiClient> m_api;
    LocalCache *m_cache = nullptr;
    MessageListModel *m_messages = nullptr;
    ModelListModel *m_models = nullptr;
    StreamClient *m_stream = nullptr;
    Conversation m_conversation;
    QString m_pendingModel; // picked before the conversation exists
    struct LeftStream
    {
        QString messageId;
        QString streamUrl;
        QString parentId;
        QString model;
    };
    QHash<QString, LeftStream> m_leftStreams; // by conversation id
    QString m_streamingId;
    // Guards async answers: a reply for a conversation no longer open is dropped.
    quint64 m_generation = 0;
    bool m_reconnecting = false;
    bool m_hasOlder = false;
};

} // namespace parlance::client
