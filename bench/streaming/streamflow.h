#pragma once

#include "streamclient.h"

#include <QHostAddress>
#include <QObject>

#include <functional>

namespace parlance::bench {

// One generation as a client sees it, on one connection:
//  Simulator: POST /v1/chat/completions (stream) straight to the simulator;
//  Gateway:   POST /api/v1/conversations/<id>/messages to parlanced, then GET
//             the stream_url (SSE) on the same keep-alive connection;
//  PostOnly:  the Gateway POST alone (the generation runs on without a reader);
//  Subscribe: GET /api/v1/stream/<message id> of a running generation.
// Token indexes are 0-based: the simulator's content chunks in order, or the
// SSE delta's seq - 2 (seq 1 is meta; a coalesced delta carries the last seq).
class StreamFlow : public QObject
{
    Q_OBJECT

public:
    enum class Target { Simulator, Gateway, PostOnly, Subscribe };
    struct Spec
    {
        Target target = Target::Simulator;
        quint16 port = 0;
        QHostAddress source; // Null: the kernel's choice.
        QByteArray directive; // "[[sim: ...]]" for the simulator's behaviour.
        QByteArray token; // Bearer token (gateway targets).
        QString conversation; // Gateway, PostOnly.
        QString messageId; // Subscribe.
    };

    StreamFlow(Spec spec, QObject *parent = nullptr);
    void start();
    void abort();

    std::function<void(StreamFlow *, qint64 index, qint64 ns)> onToken;
    std::function<void(StreamFlow *)> onFinished; // Exactly once.

    [[nodiscard]] const Spec &spec() const { return m_spec; }
    [[nodiscard]] qint64 sentNs() const { return m_sentNs; }
    [[nodiscard]] qint64 firstTokenNs() const { return m_firstNs; }
    [[nodiscard]] bool ok() const { return m_ok; }
    [[nodiscard]] int postStatus() const { return m_postStatus; }
    [[nodiscard]] QString messageId() const { return m_messageId; }
    [[nodiscard]] QString error() const { return m_error; }

private:
    void token(qint64 index);
    void finish(bool ok, const QString &error);

    Spec m_spec;
    StreamConnection *m_connection = nullptr;
    qint64 m_sentNs = 0;
    qint64 m_firstNs = 0;
    qint64 m_chunks = 0;
    int m_postStatus = 0;
    bool m_streaming = false;
    bool m_ok = false;
    bool m_finished = false;
    QString m_messageId;
    QString m_error;
};

} // namespace parlance::bench
