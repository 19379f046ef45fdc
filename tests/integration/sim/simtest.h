#pragma once

// Small helpers shared by the simulator's integration tests.

#include "rawhttp.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

using Headers = QList<std::pair<QByteArray, QByteArray>>;
Q_DECLARE_METATYPE(Headers)

inline Headers openAiHeaders(const QByteArray &key = QByteArrayLiteral("sk-test"))
{
    return { { QByteArrayLiteral("authorization"), QByteArrayLiteral("Bearer ") + key } };
}

inline Headers anthropicHeaders(const QByteArray &key = QByteArrayLiteral("sk-ant-test"))
{
    return { { QByteArrayLiteral("x-api-key"), key },
               { QByteArrayLiteral("anthropic-version"), QByteArrayLiteral("2023-06-01") } };
}

// A chat request body with one user message.
inline QByteArray chatBody(const QString &userText, bool stream, QJsonObject extra = {},
                           const QString &model = QStringLiteral("gpt-4o"))
{
    extra.insert(QStringLiteral("model"), model);
    extra.insert(QStringLiteral("stream"), stream);
    extra.insert(QStringLiteral("messages"),
        QJsonArray { QJsonObject { { QStringLiteral("role"), QStringLiteral("user") },
                                     { QStringLiteral("content"), userText } } });
    return QJsonDocument(extra).toJson(QJsonDocument::Compact);
}

inline QByteArray anthropicBody(const QString &userText, bool stream, int maxTokens = 1024,
                                QJsonObject extra = {})
{
    extra.insert(QStringLiteral("max_tokens"), maxTokens);
    return chatBody(userText, stream, extra, QStringLiteral("claude-sonnet"));
}

inline QJsonObject parseObject(const QByteArray &data, bool *ok = nullptr)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (ok)
        *ok = error.error == QJsonParseError::NoError && doc.isObject();
    return doc.object();
}

// Concatenated content of an OpenAI stream's deltas.
inline QString openAiStreamText(const QList<SseEvent> &events)
{
    QString text;
    for (const SseEvent &event : events) {
        const QJsonArray choices =
            parseObject(event.data).value(QStringLiteral("choices")).toArray();
        if (!choices.isEmpty())
            text += choices.first().toObject().value(
                QStringLiteral("delta")).toObject().value(QStringLiteral("content")).toString();
    }
    return text;
}
