#pragma once

#include "common/result.h"
#include "conversations/conversationservice.h"
#include "generation/circuitbreaker.h"
#include "generation/contextassembler.h"
#include "generation/failoverplan.h"
#include "generation/modelcatalog.h"
#include "generation/turngate.h"
#include "streaming/streamlog.h"

#include <QHash>
#include <QString>

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

class QThread;

namespace parlance {

class Database;
class GenerationThread;
class StreamRegistry;
class WorkerPool;

struct GenerationServiceOptions
{
    // Event-loop threads running generations (each reads its own provider
    // connections; there are no network threads).
    int threads = 1;
    FailoverSettings failover;
    CircuitBreakerSettings breaker;
    // Kept free in the context window for the answer.
    qint64 reservedOutputTokens = 4096;
    // Each deployment gets this many attempts per generation (inside the
    // failover plan's switching budget): 2 = one retry after a transient
    // failure before the first token.
    int passes = 2;
};

// Everything a generation needs, gathered on a worker thread before it
// starts: where the answer goes, the model and the context. The stream log
// is already reserved in the registry (one generation per conversation).
struct PreparedTurn
{
    QString userId;
    QString conversationId;
    QString assistantMessageId;
    NewMessage::Parent parent = NewMessage::Parent::Id;
    QString parentId; // the user message answered
    std::optional<Message> userMessage; // the stored user message (posts and edits)
    ModelEntry model;
    std::optional<AssembledContext> context; // nullopt: contextError says why
    std::optional<ApiError> contextError;
    std::chrono::milliseconds acceptedAt { 0 }; // tick time, for ttft and total
    std::shared_ptr<StreamLog> log;
    // Set when the generation was launched before its user message was
    // stored (startNewMessage): the answer is stored through it. Null: the
    // user message is already stored.
    std::shared_ptr<TurnGate> gate;
};

// What the route that started a generation answers with; the turn itself has
// gone to its generation thread.
struct StartedTurn
{
    QString assistantMessageId;
    QString modelId;
    std::optional<Message> userMessage;
};

// What a finished generation stores, once.
struct GenerationResult
{
    StreamFinalStatus status = StreamFinalStatus::Complete;
    std::optional<ApiError> error;
    QString text;
    QString deployment;
    std::optional<Usage> usage;
    std::optional<qint64> ttftMs;
    qint64 totalMs = 0;
};

// The orchestration of answers: a posted message (or an edit, or a
// regenerate) becomes a generation that runs on one of the service's
// event-loop threads, streams into its StreamLog, fails over between the
// model's deployments before the first token, and stores the assistant
// message ONCE at the end (docs/streaming.md). Thread-safe.
//
// The prepare* methods block (database): call them on a worker thread. Each
// reserves the conversation in the registry (generation_in_progress when
// one runs) before it writes anything, and releases it when it fails.
class GenerationService
{
public:
    GenerationService(ModelCatalog catalog, std::shared_ptr<StreamRegistry> registry,
                      std::shared_ptr<ConversationService> conversations, Database &database,
                      WorkerPool &workers, GenerationServiceOptions options = {});
    ~GenerationService();
    GenerationService(const GenerationService &) = delete;
    GenerationService &operator=(const GenerationService &) = delete;

    // Starts the generation threads; stop() finishes them (open generations
    // are cut: their messages are not stored).
    void start();
    void stop();

    [[nodiscard]] const ModelCatalog &catalog() const { return m_catalog; }
    [[nodiscard]] StreamRegistry &registry() const { return *m_registry; }
    [[nodiscard]] ConversationService &conversations() const { return *m_conversations; }

    // Worker thread. A new user message in a conversation, and its answer,
    // launched as soon as its context is known: the provider request goes
    // out while the user message is being stored (TurnGate keeps the answer
    // from being stored before it, or at all if storing it fails).
    [[nodiscard]] Result<StartedTurn> startNewMessage(const QString &userId,
                                                      const QString &conversationId,
                                                      const MessageDraft &draft);
    // Worker thread. Edit-and-resend: a sibling of a user message, then its answer.
    [[nodiscard]] Result<PreparedTurn> prepareEdit(const QString &userId, const QString &messageId,
                                                   const QList<ContentPart> &content);
    // Worker thread. A new answer to the user message an assistant message answered.
    [[nodiscard]] Result<PreparedTurn> prepareRegenerate(const QString &userId,
                                                         const QString &messageId);

    // Any thread: runs the prepared generation on a generation thread.
    void launch(PreparedTurn turn);
    // Worker thread: launches a prepared turn at once, from the worker that
    // prepared it, and returns what the client is told. Starting here rather
    // than after the hop back to the connection's thread takes that hop (and
    // the connection thread's queue under load) off the time to first token.
    [[nodiscard]] Result<StartedTurn> launchPrepared(Result<PreparedTurn> turn);

    // Worker thread: stores the assistant message and its usage record.
    [[nodiscard]] Result<Message> store(const PreparedTurn &turn, const GenerationResult &result);

    // The breaker of a deployment, made on first use; kept for the process.
    [[nodiscard]] std::shared_ptr<CircuitBreaker> breaker(const QString &deployment);
    // For admins: every deployment's breaker state.
    [[nodiscard]] QList<std::pair<QString, CircuitBreaker::Snapshot>> breakerSnapshots() const;

    [[nodiscard]] const GenerationServiceOptions &options() const { return m_options; }
    [[nodiscard]] WorkerPool &workers() const { return m_workers; }
    [[nodiscard]] Database &database() const { return m_database; }

private:
    [[nodiscard]] Result<PreparedTurn> reserve(const QString &userId, const Conversation &conv);
    [[nodiscard]] Result<QList<Message>> branchEndingAt(const QString &userId,
                                                        const QString &messageId);
    // The messages a new message in `conv` continues, oldest first.
    [[nodiscard]] Result<QList<Message>>
    branchBefore(const QString &userId, const Conversation &conv, const MessageDraft &draft);
    void assemble(PreparedTurn &turn, const Conversation &conv, const QList<Message> &branch) const;

    const ModelCatalog m_catalog;
    const std::shared_ptr<StreamRegistry> m_registry;
    const std::shared_ptr<ConversationService> m_conversations;
    Database &m_database;
    WorkerPool &m_workers;
    const GenerationServiceOptions m_options;

    mutable std::mutex m_breakersMutex;
    QHash<QString, std::shared_ptr<CircuitBreaker>> m_breakers;

    std::mutex m_threadsMutex; // guards m_threads and m_contexts
    std::vector<std::unique_ptr<QThread>> m_threads;
    std::vector<GenerationThread *> m_contexts; // live on m_threads
    std::atomic<unsigned> m_nextThread { 0 };
};

} // namespace parlance
