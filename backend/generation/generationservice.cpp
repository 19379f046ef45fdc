#include "generation/generationservice.h"

#include "common/epolleventdispatcher.h"
#include "common/workerpool.h"
#include "contract/errorcodes.h"
#include "generation/generationthread.h"
#include "generation/usagerecordrepository.h"
#include "storage/sql.h"
#include "streaming/streamregistry.h"

#include <QThread>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

// How far back a regenerate walks up the tree for its context; far beyond
// what any context window holds.
constexpr int MaxBranchDepth = 1000;

Message::Status messageStatus(StreamFinalStatus status)
{
    switch (status) {
    case StreamFinalStatus::Complete:
        return Message::Status::Complete;
    case StreamFinalStatus::Stopped:
        return Message::Status::Stopped;
    case StreamFinalStatus::Interrupted:
        return Message::Status::Interrupted;
    case StreamFinalStatus::Error:
        break;
    }
    return Message::Status::Error;
}

} // namespace

GenerationService::GenerationService(ModelCatalog catalog, std::shared_ptr<StreamRegistry> registry,
                                     std::shared_ptr<ConversationService> conversations,
                                     Database &database, WorkerPool &workers,
                                     GenerationServiceOptions options)
    : m_catalog(std::move(catalog))
    , m_registry(std::move(registry))
    , m_conversations(std::move(conversations))
    , m_database(database)
    , m_workers(workers)
    , m_options(options)
{ }

GenerationService::~GenerationService()
{
    stop();
}

void GenerationService::start()
{
    const std::lock_guard guard(m_threadsMutex);
    if (!m_threads.empty())
        return;
    for (int i = 0; i < std::max(1, m_options.threads); ++i) {
        auto thread = std::make_unique<QThread>();
        thread->setObjectName(u"generation-%1"_s.arg(i));
        if (QAbstractEventDispatcher *dispatcher = EpollEventDispatcher::create())
            thread->setEventDispatcher(dispatcher);
        auto *context = new GenerationThread(this);
        context->moveToThread(thread.get());
        QObject::connect(thread.get(), &QThread::finished, context, &QObject::deleteLater);
        thread->start();
        m_contexts.push_back(context);
        m_threads.push_back(std::move(thread));
    }
}

void GenerationService::stop()
{
    std::vector<std::unique_ptr<QThread>> threads;
    {
        // From here on launch() refuses; a launch already inside has posted
        // its turn, which the thread drops when it quits (cut, as documented).
        const std::lock_guard guard(m_threadsMutex);
        m_contexts.clear();
        threads = std::move(m_threads);
        m_threads.clear();
    }
    for (auto &thread : threads) {
        thread->quit();
        thread->wait();
    }
}

Result<PreparedTurn> GenerationService::reserve(const QString &userId, const Conversation &conv)
{
    auto model = m_catalog.resolve(conv.model);
    if (!model)
        return model.error();
    PreparedTurn turn;
    turn.userId = userId;
    turn.conversationId = conv.id;
    turn.assistantMessageId = sql::newId();
    turn.model = std::move(model).value();
    turn.acceptedAt = systemTickClock()();
    auto log = m_registry->start({ turn.assistantMessageId, conv.id, userId });
    if (!log)
        return log.error();
    turn.log = std::move(log).value();
    return turn;
}

void GenerationService::assemble(PreparedTurn &turn, const Conversation &conv,
                                 const QList<Message> &branch) const
{
    const qint64 window = turn.model.contextWindow;
    const qint64 reserved = std::min(m_options.reservedOutputTokens, window / 4);
    auto context = ContextAssembler::assemble(conv.systemPrompt, branch, window, reserved);
    if (context)
        turn.context = std::move(context).value();
    else
        turn.contextError = context.error();
}

Result<QList<Message>> GenerationService::branchBefore(const QString &userId,
                                                       const Conversation &conv,
                                                       const MessageDraft &draft)
{
    switch (draft.parent) {
    case NewMessage::Parent::Root:
        return QList<Message> {};
    case NewMessage::Parent::Id: {
        auto branch = branchEndingAt(userId, draft.parentId);
        if (!branch && branch.error().code != errc::NotFound)
            return branch.error();
        // Another user's message or another conversation's: not found, as
        // the repository would say.
        if (!branch || branch->isEmpty() || branch->constLast().conversationId != conv.id) {
            return ApiError { QString(errc::NotFound),
                              u"The message named by \"parent_id\" was not found."_s,
                              std::nullopt };
        }
        return branch;
    }
    case NewMessage::Parent::SelectedLeaf:
        break;
    }
    PathQuery query;
    query.limit = PathQuery::MaxLimit;
    query.withSiblings = false;
    auto path = m_conversations->listMessages(userId, conv.id, query);
    if (!path)
        return path.error();
    return path->items;
}

Result<StartedTurn> GenerationService::startNewMessage(const QString &userId,
                                                       const QString &conversationId,
                                                       const MessageDraft &draft)
{
    auto conv = m_conversations->getConversation(userId, conversationId);
    if (!conv)
        return conv.error();
    if (conv->isDeleted())
        return ApiError { QString(errc::NotFound), u"No such conversation."_s, std::nullopt };
    if (auto ok = m_conversations->rules().content(draft.content); !ok)
        return ok.error();
    // Reserve before reading the branch: a generation still storing its
    // answer in this conversation makes this one wait (409), rather than
    // continue a branch that misses that answer.
    auto reserved = reserve(userId, *conv);
    if (!reserved)
        return reserved.error();
    PreparedTurn turn = std::move(reserved).value();
    auto read = branchBefore(userId, *conv, draft);
    if (!read) {
        m_registry->discard(turn.assistantMessageId);
        return read.error();
    }
    QList<Message> branch = std::move(read).value();

    // The user message as it will be stored: its id now, its parent the end
    // of the branch just read (named explicitly, so the stored tree matches
    // the context sent even if the selection moves meanwhile).
    Message user;
    user.id = sql::newId();
    user.conversationId = conversationId;
    user.parentId = branch.isEmpty() ? QString() : branch.constLast().id;
    user.role = Message::Role::User;
    user.content = draft.content;
    MessageDraft toStore = draft;
    toStore.parent = user.parentId.isEmpty() ? NewMessage::Parent::Root : NewMessage::Parent::Id;
    toStore.parentId = user.parentId;

    turn.parentId = user.id;
    turn.gate = std::make_shared<TurnGate>();
    branch.append(user);
    assemble(turn, *conv, branch);
    StartedTurn started { turn.assistantMessageId, turn.model.id, std::nullopt };
    const std::shared_ptr<TurnGate> gate = turn.gate;
    const std::shared_ptr<StreamLog> log = turn.log;
    launch(std::move(turn));

    auto posted = m_conversations->postUserMessage(userId, conversationId, toStore, user.id);
    if (!posted) {
        // The client hears the error and never learns the answer's id: stop
        // the answer, never store it, free the conversation.
        gate->failed();
        log->requestStop();
        m_registry->discard(started.assistantMessageId);
        return posted.error();
    }
    gate->stored();
    started.userMessage = std::move(posted).value();
    return started;
}

Result<PreparedTurn> GenerationService::prepareEdit(const QString &userId, const QString &messageId,
                                                    const QList<ContentPart> &content)
{
    auto original = m_conversations->getMessage(userId, messageId);
    if (!original)
        return original.error();
    if (original->role != Message::Role::User) {
        return ApiError { QString(errc::InvalidField), u"Only a user message can be edited."_s,
                          std::nullopt };
    }
    auto conv = m_conversations->getConversation(userId, original->conversationId);
    if (!conv)
        return conv.error();
    auto reserved = reserve(userId, *conv);
    if (!reserved)
        return reserved.error();
    PreparedTurn turn = std::move(reserved).value();
    auto edited = m_conversations->editUserMessage(userId, messageId, content);
    if (!edited) {
        m_registry->discard(turn.assistantMessageId);
        return edited.error();
    }
    turn.parentId = edited->id;
    turn.userMessage = *edited;
    auto branch = branchEndingAt(userId, edited->id);
    assemble(turn, *conv, branch ? *branch : QList<Message> { *edited });
    return turn;
}

Result<PreparedTurn> GenerationService::prepareRegenerate(const QString &userId,
                                                          const QString &messageId)
{
    auto original = m_conversations->getMessage(userId, messageId);
    if (!original)
        return original.error();
    if (original->role != Message::Role::Assistant || original->parentId.isEmpty()) {
        return ApiError { QString(errc::InvalidField),
                          u"Only an answer to a message can be regenerated."_s, std::nullopt };
    }
    auto conv = m_conversations->getConversation(userId, original->conversationId);
    if (!conv)
        return conv.error();
    auto branch = branchEndingAt(userId, original->parentId);
    if (!branch)
        return branch.error();
    auto reserved = reserve(userId, *conv);
    if (!reserved)
        return reserved.error();
    PreparedTurn turn = std::move(reserved).value();
    turn.parentId = original->parentId;
    assemble(turn, *conv, *branch);
    return turn;
}

Result<QList<Message>> GenerationService::branchEndingAt(const QString &userId,
                                                         const QString &messageId)
{
    // One recursive query up the tree (it was one lookup per ancestor).
    return m_conversations->branchTo(userId, messageId, MaxBranchDepth);
}

void GenerationService::launch(PreparedTurn turn)
{
    // Workers launch (startNewMessage, launchPrepared) and may still run
    // while the server stops the generation threads.
    std::unique_lock lock(m_threadsMutex);
    if (m_contexts.empty()) {
        lock.unlock();
        // Not started (shutting down): the generation cannot run.
        turn.log->finish(
            StreamFinalStatus::Error,
            ApiError { QString(errc::Unavailable), u"The server is shutting down."_s, 5 });
        return;
    }
    GenerationThread *context = m_contexts[m_nextThread.fetch_add(1) % m_contexts.size()];
    QMetaObject::invokeMethod(
        context, [context, turn = std::move(turn)]() mutable { context->run(std::move(turn)); },
        Qt::QueuedConnection);
}

Result<StartedTurn> GenerationService::launchPrepared(Result<PreparedTurn> turn)
{
    if (!turn)
        return turn.error();
    StartedTurn started { turn->assistantMessageId, turn->model.id, turn->userMessage };
    launch(std::move(turn).value());
    return started;
}

Result<Message> GenerationService::store(const PreparedTurn &turn, const GenerationResult &result)
{
    NewMessage message;
    message.id = turn.assistantMessageId;
    message.parent = turn.parent;
    message.parentId = turn.parentId;
    message.role = Message::Role::Assistant;
    if (!result.text.isEmpty())
        message.content = { ContentPart::fromText(result.text) };
    message.status = messageStatus(result.status);
    message.error = result.error;
    message.model = turn.model.id;
    message.deployment = result.deployment;
    message.usage = result.usage;
    message.timeToFirstTokenMs = result.ttftMs;
    message.totalTimeMs = result.totalMs;
    message.select = true;
    MessageRepository::AlongsideWrite usageRecord;
    if (result.usage) {
        usageRecord = [&](const QSqlDatabase &db, const Message &) {
            // Built afresh on each run: a rerun after a group's rollback
            // must not reuse the id of a record that was never kept.
            UsageRecord record;
            record.userId = turn.userId;
            record.messageId = turn.assistantMessageId;
            record.model = turn.model.id;
            record.deployment = result.deployment;
            record.usage = *result.usage;
            record.status = finalStatusName(result.status);
            return UsageRecordRepository::insertIn(db, record);
        };
    }
    return m_conversations->appendMessage(turn.userId, turn.conversationId, message, usageRecord);
}

std::shared_ptr<CircuitBreaker> GenerationService::breaker(const QString &deployment)
{
    std::lock_guard guard(m_breakersMutex);
    auto &slot = m_breakers[deployment];
    if (!slot)
        slot = std::make_shared<CircuitBreaker>(m_options.breaker);
    return slot;
}

QList<std::pair<QString, CircuitBreaker::Snapshot>> GenerationService::breakerSnapshots() const
{
    std::lock_guard guard(m_breakersMutex);
    QList<std::pair<QString, CircuitBreaker::Snapshot>> out;
    for (auto it = m_breakers.cbegin(); it != m_breakers.cend(); ++it)
        out.append({ it.key(), it.value()->snapshot() });
    std::sort(out.begin(), out.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    return out;
}

} // namespace parlance
