#pragma once

#include "wireformat.h"

namespace parlance::sim {

// OpenAI's chat completions API (POST /v1/chat/completions, GET /v1/models),
// which vLLM, Ollama and most gateways copy. Streams are `data: <chunk>`
// lines of chat.completion.chunk objects ending with `data: [DONE]`; with
// stream_options.include_usage every chunk carries "usage":null and a last
// chunk with empty choices carries the usage.
class OpenAiFormat final : public WireFormat
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
    [[nodiscard]] QByteArray chunk(const QByteArray &choices, const QByteArray &usage) const;
    [[nodiscard]] QByteArray usage(qint64 completionTokens) const;
    [[nodiscard]] HttpHeaders baseHeaders(const QByteArray &contentType) const;

    QByteArray m_id;
    QByteArray m_requestId = "req_" + randomId(32);
    QString m_model;
    qint64 m_created = 0;
    qint64 m_promptTokens = 0;
    bool m_includeUsage = false;
};

} // namespace parlance::sim
