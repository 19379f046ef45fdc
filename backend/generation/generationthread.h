#pragma once

#include "generation/generationservice.h"
#include "providers/providerclient.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace parlance {

class Generation;

// Lives on one generation thread: owns that thread's provider clients (and
// so its upstream connection pools) and the generations running there, by message id, so a
// stop request from any thread can find its generation without touching a
// QObject across threads.
class GenerationThread : public QObject
{
    Q_OBJECT
public:
    explicit GenerationThread(GenerationService *service);
    ~GenerationThread() override;

    // On this thread.
    void run(PreparedTurn turn);
    [[nodiscard]] ProviderClient &client(ProviderKind kind);
    [[nodiscard]] GenerationService &service() const { return *m_service; }

    // On this thread: the generation is done with its part (its result is
    // being stored); it is deleted later.
    void release(const QString &messageId);
    // On this thread: stores the result on the worker pool (retrying while
    // the pool's queue is full), then finishes the log.
    void persist(PreparedTurn turn, GenerationResult result);

private:
    void stopGeneration(const QString &messageId);

    GenerationService *m_service;
    std::unique_ptr<ProviderClient> m_openai;
    std::unique_ptr<ProviderClient> m_anthropic;
    QHash<QString, Generation *> m_generations;
};

} // namespace parlance
