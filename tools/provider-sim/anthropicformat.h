#pragma once

#include "wireformat.h"

namespace parlance::sim {

// Anthropic's Messages API (POST /v1/messages, GET /v1/models). Requests
// need x-api-key and anthropic-version. Streams are named SSE events in a
// fixed order: message_start, content_block_start, ping,
// content_block_delta..., content_block_stop, message_delta, message_stop;
// each data line's "type" repeats the event name.
class AnthropicFormat final : public WireFormat
{
public:
    [[nodiscard]] std::optional<Reply> checkAuth(const HttpRequest &request,
                                                 const Deployment &deployment) const override;
    [[nodiscard]] bool parseRequest(const QJsonObject &body, ChatRequest *out,
                                    QString *error) const override;
    [[nodiscard]] Reply error(ErrorKind kind, const QString &detail = {}) const override;
    [[nodiscard]] Reply models(const QStringList &ids) const override;

    void begin(const ChatRequest &request, qint64 promptTokens) override;
    [[nodiscard]] HttpHeaders streamHeaders() const override;
    [[nodiscard]] QByteArray streamOpen() const override;
    [[nodiscard]] QByteArray streamDelta(const QString &text) const override;
    [[nodiscard]] QByteArray streamClose(qint64 completionTokens, bool truncated) const override;
    [[nodiscard]] QByteArray streamError() const override;
    [[nodiscard]] QByteArray malformedEvent() const override;
    [[nodiscard]] Reply complete(const QString &text, qint64 completionTokens,
                                 bool truncated) const override;

private:
    [[nodiscard]] HttpHeaders baseHeaders(const QByteArray &contentType) const;

    QByteArray m_id;
    QByteArray m_requestId = "req_" + randomId(24);
    QString m_model;
    qint64 m_promptTokens = 0;
};

} // namespace parlance::sim
