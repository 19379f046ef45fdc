#include "chatcontroller.h"

#include "api/apiclient.h"
#include "api/streamclient.h"
#include "cache/localcache.h"
#include "contract/errorcodes.h"
#include "markdown/markdownrenderer.h"
#include "messagelistmodel.h"
#include "modellistmodel.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace parlance::client {

namespace {

constexpr int PageSize = 50;
const QString LocalIdPrefix = u"local:"_s;

} // namespace

ChatController::ChatController(ApiClient *api, QObject *parent)
    : RequestStatus(parent)
    , m_api(api)
    , m_messages(new MessageListModel(this))
    , m_models(new ModelListModel(this))
    , m_stream(new StreamClient(api, this))
{
    connect(m_stream, &StreamClient::deltaReceived, this, [this](const QString &text) {
        if (!m_streamingId.isEmpty())
            m_messages->appendText(m_streamingId, text);
    });
    connect(m_stream, &StreamClient::errorReceived, this, [this](const ApiError &error) {
        m_messages->setStatus(m_streamingId, Message::Status::Error, error);
    });
    connect(m_stream, &StreamClient::reconnecting, this, [this] { setReconnecting(true); });
    connect(m_stream, &StreamClient::stateChanged, this, [this](StreamClient::State state) {
        if (state == StreamClient::State::Streaming)
            setReconnecting(false);
    });
    connect(m_stream, &StreamClient::finished, this, [this](Message::Status status) {
        const QString id = m_streamingId;
        m_messages->setStatus(id, status, m_messages->find(id).value_or(Message()).error);
        finishAnswer(id);
    });
    connect(m_stream, &StreamClient::failed, this, [this](const ApiError &error) {
        const QString id = m_streamingId;
        // stream_expired: the answer is over and stored; finishAnswer loads it.
        if (error.code != errc::StreamExpired) {
            m_messages->setStatus(id, Message::Status::Interrupted, error);
            setError(tr("The connection to the server was lost: %1").arg(error.message));
        }
        finishAnswer(id);
    });
}

ChatController::~ChatController() = default;

QString ChatController::model() const
{
    if (!m_conversation.model.isEmpty())
        return m_conversation.model;
    return m_pendingModel.isEmpty() ? m_models->defaultModel() : m_pendingModel;
}

void ChatController::open(const QString &conversationId)
{
    if (!m_api || conversationId == m_conversation.id)
        return;
    leaveConversation();
    ++m_generation;
    Conversation placeholder;
    placeholder.id = conversationId;
    setConversation(placeholder);
    m_messages->clear();
    setHasOlder(false);
    clearError();
    if (m_cache)
        m_messages->replaceAll(m_cache->messages(conversationId));
    reloadConversation();
    reloadMessages();
}

void ChatController::newChat()
{
    leaveConversation();
    ++m_generation;
    setConversation({});
    m_messages->clear();
    setHasOlder(false);
    clearError();
}

void ChatController::reloadConversation()
{
    const quint64 generation = m_generation;
    m_api->getConversation(m_conversation.id, this,
                           [this, generation](Result<Conversation> result) {
                               if (generation != m_generation)
                                   return;
                               if (!result) {
                                   setError(result.error().message);
                                   return;
                               }
                               setConversation(*result);
                               Q_EMIT conversationUpdated(*result);
                           });
}

void ChatController::reloadMessages()
{
    const quint64 generation = m_generation;
    setLoading(true);
    m_api->listMessages(m_conversation.id, MessageWindow { {}, {}, PageSize }, this,
                        [this, generation](Result<MessagePage> page) {
                            if (generation != m_generation)
                                return;
                            setLoading(false);
                            if (!page) {
                                setError(
                                    m_messages->rowCount() > 0
                                        ? tr("Showing the saved copy: %1").arg(page.error().message)
                                        : page.error().message);
                                return;
                            }
                            m_messages->replaceAll(page->items);
                            setHasOlder(page->hasMoreBefore);
                            saveToCache();
                            resumeLeftStream();
                        });
}

void ChatController::leaveConversation()
{
    if (isStreaming()) {
        const auto row = m_messages->find(m_streamingId);
        m_leftStreams.insert(m_conversation.id,
                             { m_streamingId, m_stream->streamUrl(),
                               row ? row->parentId : QString(), row ? row->model : QString() });
    }
    // The answer goes on on the server.
    m_stream->close();
    setStreamingId({});
    setReconnecting(false);
}

void ChatController::resumeLeftStream()
{
    const auto left = m_leftStreams.take(m_conversation.id);
    // Stored meanwhile: the listing already shows the finished answer.
    if (left.messageId.isEmpty() || m_messages->indexOf(left.messageId) >= 0)
        return;
    Message answer;
    answer.id = left.messageId;
    answer.conversationId = m_conversation.id;
    answer.parentId = left.parentId;
    answer.role = Message::Role::Assistant;
    answer.status = Message::Status::Streaming;
    answer.model = left.model;
    answer.createdAt = QDateTime::currentDateTimeUtc();
    m_messages->append(answer);
    // From the start of the log: the row is empty, so every delta is needed.
    followStream(answer.id, left.streamUrl);
}

void ChatController::loadOlder()
{
    const auto first = m_messages->rowCount() > 0
        ? m_messages->data(m_messages->index(0), MessageListModel::IdRole).toString()
        : QString();
    if (!m_api || !m_hasOlder || isLoading() || first.isEmpty())
        return;
    const quint64 generation = m_generation;
    setLoading(true);
    m_api->listMessages(m_conversation.id, MessageWindow { first, {}, PageSize }, this,
                        [this, generation](Result<MessagePage> page) {
                            if (generation != m_generation)
                                return;
                            setLoading(false);
                            if (!page) {
                                setError(page.error().message);
                                return;
                            }
                            m_messages->prependPage(page->items);
                            setHasOlder(page->hasMoreBefore);
                        });
}

void ChatController::refreshModels()
{
    if (!m_api)
        return;
    m_api->listModels(this, [this](Result<ModelList> list) {
        if (!list) {
            setError(tr("Could not load the models: %1").arg(list.error().message));
            return;
        }
        m_models->replaceAll(list->models, list->defaultModel);
        Q_EMIT conversationChanged(); // `model` may fall back to the default
    });
}

bool ChatController::send(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty() || !m_api)
        return false;
    if (isStreaming()) {
        setError(tr("Wait for the answer to finish, or stop it first."));
        return false;
    }
    clearError();
    if (!m_conversation.id.isEmpty()) {
        if (m_conversation.title.isEmpty()) {
            ConversationChange change;
            change.title = titleFrom(trimmed);
            m_api->updateConversation(m_conversation.id, change, this,
                                      [this](Result<Conversation> updated) {
                                          if (updated && updated->id == m_conversation.id) {
                                              setConversation(*updated);
                                              Q_EMIT conversationUpdated(*updated);
                                          }
                                      });
        }
        postMessage(trimmed);
        return true;
    }
    NewConversation fields;
    fields.title = titleFrom(trimmed);
    fields.model = m_pendingModel;
    const quint64 generation = m_generation;
    setLoading(true);
    m_api->createConversation(fields, this,
                              [this, generation, trimmed](Result<Conversation> created) {
                                  if (generation != m_generation)
                                      return;
                                  setLoading(false);
                                  if (!created) {
                                      setError(created.error().message);
                                      return;
                                  }
                                  m_pendingModel.clear();
                                  setConversation(*created);
                                  Q_EMIT conversationUpdated(*created);
                                  postMessage(trimmed);
                              });
    return true;
}

void ChatController::postMessage(const QString &text)
{
    // Shown at once; replaced by the stored message when the server answers.
    Message local;
    local.id = LocalIdPrefix + QUuid::createUuid().toString(QUuid::WithoutBraces);
    local.conversationId = m_conversation.id;
    local.role = Message::Role::User;
    local.content = { ContentPart::fromText(text) };
    local.createdAt = QDateTime::currentDateTimeUtc();
    m_messages->append(local);

    const quint64 generation = m_generation;
    const QString localId = local.id;
    m_api->sendMessage(m_conversation.id, local.content, MessageParent::selectedLeaf(), this,
                       [this, generation, localId](Result<StartedAnswer> started) {
                           if (generation != m_generation)
                               return;
                           if (!started) {
                               m_messages->remove(localId);
                               setError(started.error().message);
                               return;
                           }
                           if (started->userMessage)
                               m_messages->replace(localId, *started->userMessage);
                           beginAnswer(*started);
                       });
}

void ChatController::beginAnswer(const StartedAnswer &started)
{
    Message answer;
    answer.id = started.assistantMessageId;
    answer.conversationId = m_conversation.id;
    answer.role = Message::Role::Assistant;
    answer.status = Message::Status::Streaming;
    answer.model = started.model;
    answer.createdAt = QDateTime::currentDateTimeUtc();
    if (started.userMessage)
        answer.parentId = started.userMessage->id;
    m_messages->append(answer);
    followStream(answer.id, started.streamUrl);
}

void ChatController::followStream(const QString &messageId, const QString &streamUrl)
{
    setStreamingId(messageId);
    setReconnecting(false);
    m_stream->start(streamUrl);
}

void ChatController::finishAnswer(const QString &messageId)
{
    m_stream->close();
    setReconnecting(false);
    if (messageId.isEmpty())
        return;
    const quint64 generation = m_generation;
    m_api->getMessage(messageId, this, [this, generation, messageId](Result<MessageDetail> detail) {
        if (generation != m_generation)
            return;
        if (detail)
            m_messages->update(detail->message);
        // else: keep what was streamed; the status set from the stream stands.
        const auto row = m_messages->find(messageId);
        setStreamingId({});
        saveToCache();
        Q_EMIT answerFinished(messageId,
                              row ? QString(Message::statusName(row->status)) : QString());
        reloadConversation();
    });
}

void ChatController::stop()
{
    if (!m_api || m_streamingId.isEmpty())
        return;
    m_api->stopGeneration(m_streamingId, this, [this](Result<StopResult> result) {
        if (!result)
            setError(result.error().message);
        // The stream ends with `done` (status stopped); nothing else to do.
    });
}

void ChatController::regenerate(const QString &assistantMessageId)
{
    if (!m_api || isStreaming())
        return;
    QString id = assistantMessageId;
    if (id.isEmpty()) {
        const auto lastAnswer = m_messages->lastWithRole(Message::Role::Assistant);
        if (!lastAnswer)
            return;
        id = lastAnswer->id;
    }
    const int row = m_messages->indexOf(id);
    if (row < 0)
        return;
    clearError();
    const quint64 generation = m_generation;
    m_api->regenerate(id, this, [this, generation, row](Result<StartedAnswer> started) {
        if (generation != m_generation)
            return;
        if (!started) {
            setError(started.error().message);
            return;
        }
        m_messages->truncateFrom(row);
        beginAnswer(*started);
    });
}

void ChatController::edit(const QString &userMessageId, const QString &text)
{
    const QString trimmed = text.trimmed();
    const int row = m_messages->indexOf(userMessageId);
    if (!m_api || isStreaming() || trimmed.isEmpty() || row < 0)
        return;
    clearError();
    const quint64 generation = m_generation;
    m_api->editMessage(userMessageId, { ContentPart::fromText(trimmed) }, this,
                       [this, generation, row](Result<StartedAnswer> started) {
                           if (generation != m_generation)
                               return;
                           if (!started) {
                               setError(started.error().message);
                               return;
                           }
                           m_messages->truncateFrom(row);
                           if (started->userMessage)
                               m_messages->append(*started->userMessage);
                           beginAnswer(*started);
                       });
}

void ChatController::switchSibling(const QString &messageId, int step)
{
    if (!m_api || isStreaming() || step == 0)
        return;
    const quint64 generation = m_generation;
    m_api->getMessage(
        messageId, this, [this, generation, messageId, step](Result<MessageDetail> detail) {
            if (generation != m_generation)
                return;
            if (!detail) {
                setError(detail.error().message);
                return;
            }
            const auto at = detail->siblingIds.indexOf(messageId);
            const auto target = at + step;
            if (at < 0 || target < 0 || target >= detail->siblingIds.size())
                return;
            ConversationChange change;
            change.selectedMessageId = detail->siblingIds.at(target);
            m_api->updateConversation(m_conversation.id, change, this,
                                      [this, generation](Result<Conversation> updated) {
                                          if (generation != m_generation)
                                              return;
                                          if (!updated) {
                                              setError(updated.error().message);
                                              return;
                                          }
                                          setConversation(*updated);
                                          reloadMessages();
                                      });
        });
}

void ChatController::setModel(const QString &modelId)
{
    if (modelId.isEmpty() || modelId == model())
        return;
    if (m_conversation.id.isEmpty()) {
        m_pendingModel = modelId;
        Q_EMIT conversationChanged();
        return;
    }
    ConversationChange change;
    change.model = modelId;
    m_api->updateConversation(m_conversation.id, change, this,
                              [this](Result<Conversation> updated) {
                                  if (!updated) {
                                      setError(updated.error().message);
                                      return;
                                  }
                                  if (updated->id == m_conversation.id)
                                      setConversation(*updated);
                                  Q_EMIT conversationUpdated(*updated);
                              });
}

void ChatController::setSystemPrompt(const QString &prompt)
{
    if (m_conversation.id.isEmpty() || prompt == m_conversation.systemPrompt)
        return;
    ConversationChange change;
    change.systemPrompt = prompt;
    m_api->updateConversation(m_conversation.id, change, this,
                              [this](Result<Conversation> updated) {
                                  if (!updated) {
                                      setError(updated.error().message);
                                      return;
                                  }
                                  if (updated->id == m_conversation.id)
                                      setConversation(*updated);
                              });
}

bool ChatController::copyMessage(const QString &messageId)
{
    const QString text = messageText(messageId);
    if (text.isEmpty())
        return false;
    QGuiApplication::clipboard()->setText(text);
    return true;
}

bool ChatController::copyLastCodeBlock()
{
    const auto answer = m_messages->lastWithRole(Message::Role::Assistant);
    const QString code = answer ? lastCodeBlock(messageText(answer->id)) : QString();
    if (code.isEmpty())
        return false;
    QGuiApplication::clipboard()->setText(code);
    return true;
}

QString ChatController::lastUserMessageId() const
{
    const auto message = m_messages->lastWithRole(Message::Role::User);
    return message ? message->id : QString();
}

QString ChatController::messageText(const QString &messageId) const
{
    return m_messages->textAt(m_messages->indexOf(messageId));
}

QString ChatController::lastCodeBlock(const QString &markdown)
{
    const QStringList blocks = MarkdownRenderer::codeBlocks(markdown);
    return blocks.isEmpty() ? QString() : blocks.constLast();
}

QString ChatController::titleFrom(const QString &text, int maxLength)
{
    QString line = text.trimmed().section(u'\n', 0, 0).simplified();
    if (line.size() > maxLength) {
        line.truncate(maxLength - 1);
        const auto space = line.lastIndexOf(u' ');
        if (space > maxLength / 2)
            line.truncate(space);
        line.append(u'…');
    }
    return line;
}

void ChatController::saveToCache()
{
    if (!m_cache || m_conversation.id.isEmpty())
        return;
    (void)m_cache->saveMessages(m_conversation.id, m_messages->messages());
}

void ChatController::setStreamingId(const QString &id)
{
    if (m_streamingId != id) {
        const bool was = isStreaming();
        m_streamingId = id;
        if (was != isStreaming())
            Q_EMIT streamingChanged();
    }
}

void ChatController::setReconnecting(bool reconnecting)
{
    if (m_reconnecting != reconnecting) {
        m_reconnecting = reconnecting;
        Q_EMIT reconnectingChanged();
    }
}

void ChatController::setHasOlder(bool hasOlder)
{
    if (m_hasOlder != hasOlder) {
        m_hasOlder = hasOlder;
        Q_EMIT hasOlderChanged();
    }
}

void ChatController::setConversation(const Conversation &conversation)
{
    m_conversation = conversation;
    Q_EMIT conversationChanged();
}

} // namespace parlance::client
