#include "generation/generationthread.h"

#include "common/workerpool.h"
#include "generation/generation.h"
#include "generation/generationlog.h"

#include <QPointer>
#include <QTimer>

namespace parlance {

namespace {
// A full worker queue delays storing an answer; it must never lose it.
constexpr int PersistRetryMs = 100;
} // namespace

GenerationThread::GenerationThread(GenerationService *service)
    : m_service(service)
{ }

GenerationThread::~GenerationThread()
{
    // Generations are children; delete them before the clients they use.
    qDeleteAll(m_generations);
    m_generations.clear();
}

ProviderClient &GenerationThread::client(ProviderKind kind)
{
    auto &slot = kind == ProviderKind::Anthropic ? m_anthropic : m_openai;
    if (!slot)
        slot = ProviderClient::create(kind);
    return *slot;
}

void GenerationThread::run(PreparedTurn turn)
{
    const QString id = turn.assistantMessageId;
    const std::shared_ptr<StreamLog> log = turn.log;
    auto *generation = new Generation(*this, std::move(turn));
    m_generations.insert(id, generation);
    QPointer<GenerationThread> self(this);
    log->setStopHandler([self, id] {
        if (self) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, id] {
                    if (self)
                        self->stopGeneration(id);
                },
                Qt::QueuedConnection);
        }
    });
    generation->start();
}

void GenerationThread::stopGeneration(const QString &messageId)
{
    if (Generation *generation = m_generations.value(messageId))
        generation->stop();
}

void GenerationThread::release(const QString &messageId)
{
    if (Generation *generation = m_generations.take(messageId))
        generation->deleteLater();
}

void GenerationThread::persist(PreparedTurn turn, GenerationResult result)
{
    GenerationService *service = m_service;
    const auto store = [service](const PreparedTurn &turn, const GenerationResult &result) {
        auto stored = service->store(turn, result);
        if (!stored) {
            qCWarning(lcGeneration)
                << "answer" << turn.assistantMessageId << "not stored:" << stored.error().code;
        }
        // After the message is stored: a client that sees `done` and then
        // loads the message finds it.
        turn.log->finish(result.status, result.error);
    };
    if (const std::shared_ptr<TurnGate> gate = turn.gate) {
        // Launched before its user message was stored: store after it.
        switch (gate->runWhenStored([store, turn, result] { store(turn, result); })) {
        case TurnGate::State::Pending:
            return; // the worker storing the user message stores this next
        case TurnGate::State::Failed:
            // The user message was never stored, so neither is its answer.
            turn.log->finish(result.status, result.error);
            return;
        case TurnGate::State::Stored:
            break;
        }
    }
    const bool queued = service->workers().submit([store, turn, result] { store(turn, result); });
    if (!queued) {
        QTimer::singleShot(PersistRetryMs, this,
                           [this, turn = std::move(turn), result = std::move(result)]() mutable {
                               persist(std::move(turn), std::move(result));
                           });
    }
}

} // namespace parlance
