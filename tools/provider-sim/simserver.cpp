#include "simserver.h"

#include "anthropicformat.h"
#include "contentgenerator.h"
#include "faults.h"
#include "openaiformat.h"
#include "responsesession.h"

#include <QJsonDocument>
#include <QTcpSocket>

using namespace Qt::StringLiterals;

namespace parlance::sim {

namespace {

// For answers that are not tied to one endpoint (unknown path or
// deployment), speak the dialect the client seems to speak.
std::unique_ptr<WireFormat> guessFormat(const HttpRequest &request)
{
    if (!request.header("x-api-key"_ba).isEmpty()
        || !request.header("anthropic-version"_ba).isEmpty())
        return std::make_unique<AnthropicFormat>();
    return std::make_unique<OpenAiFormat>();
}

Reply jsonReply(const QJsonObject &object)
{
    return { 200,
             { { "content-type"_ba, "application/json"_ba } },
             QJsonDocument(object).toJson(QJsonDocument::Compact) };
}

} // namespace

SimServer::SimServer(SimConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    connect(&m_server, &QTcpServer::newConnection, this, &SimServer::onNewConnection);
}

SimServer::~SimServer()
{
    // Connections (and their sessions, which report to m_stats) are child
    // objects that QObject would delete only after m_stats is gone.
    qDeleteAll(findChildren<HttpConnection *>(Qt::FindDirectChildrenOnly));
}

bool SimServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server.listen(address, port))
        return true;
    *error = m_server.errorString();
    return false;
}

void SimServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        auto *connection = new HttpConnection(socket, this);
        connect(connection, &HttpConnection::requestReceived, this,
                [this, connection](const HttpRequest &request) { route(connection, request); });
    }
}

void SimServer::send(HttpConnection *connection, const QString &deployment, const Reply &reply)
{
    if (!deployment.isEmpty())
        m_stats.countStatus(deployment, reply.status);
    connection->sendResponse(reply.status, reply.headers, reply.body);
}

void SimServer::route(HttpConnection *connection, const HttpRequest &request)
{
    const QString path = QString::fromUtf8(request.path);
    if (path == "/sim/stats"_L1 && request.method == "GET")
        return send(connection, {}, jsonReply(m_stats.toJson()));
    if (path == "/sim/reset"_L1 && request.method == "POST") {
        m_stats.reset();
        return send(connection, {}, jsonReply({ { u"ok"_s, true } }));
    }

    QString name = u"default"_s;
    QString rest = path;
    if (path.startsWith("/d/"_L1)) {
        const qsizetype slash = path.indexOf(u'/', 3);
        name = path.mid(3, slash < 0 ? -1 : slash - 3);
        rest = slash < 0 ? QString() : path.mid(slash);
    }
    const Deployment *deployment = m_config.deployment(name);
    if (!deployment) {
        const auto format = guessFormat(request);
        return send(
            connection, {},
            format->error(ErrorKind::UnknownPath, QString::fromUtf8(request.method) + u' ' + path));
    }

    m_stats.countRequest(name, rest);
    const QString methodAndPath = QString::fromUtf8(request.method) + u' ' + rest;
    if (rest == "/v1/chat/completions"_L1 && request.method == "POST")
        return handleChat(connection, request, *deployment, std::make_unique<OpenAiFormat>());
    if (rest == "/v1/messages"_L1 && request.method == "POST")
        return handleChat(connection, request, *deployment, std::make_unique<AnthropicFormat>());
    const auto format = guessFormat(request);
    if (rest == "/v1/models"_L1 && request.method == "GET")
        return handleModels(connection, request, *deployment, *format);
    send(connection, name, format->error(ErrorKind::UnknownPath, methodAndPath));
}

void SimServer::handleModels(HttpConnection *connection, const HttpRequest &request,
                             const Deployment &deployment, const WireFormat &format)
{
    if (const auto denied = format.checkAuth(request, deployment))
        return send(connection, deployment.name, *denied);
    const QStringList ids =
        deployment.models.isEmpty() ? QStringList { u"parlance-sim"_s } : deployment.models;
    send(connection, deployment.name, format.models(ids));
}

void SimServer::handleChat(HttpConnection *connection, const HttpRequest &request,
                           const Deployment &deployment, std::unique_ptr<WireFormat> format)
{
    const QString &name = deployment.name;
    if (const auto denied = format->checkAuth(request, deployment))
        return send(connection, name, *denied);

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (!doc.isObject()) {
        return send(connection, name,
                    format->error(ErrorKind::BadRequest,
                                  u"We could not parse the JSON body of your request: %1"_s.arg(
                                      parseError.errorString())));
    }
    ChatRequest chat;
    QString problem;
    if (!format->parseRequest(doc.object(), &chat, &problem))
        return send(connection, name, format->error(ErrorKind::BadRequest, problem));
    if (!deployment.models.isEmpty() && !deployment.models.contains(chat.model))
        return send(connection, name, format->error(ErrorKind::ModelNotFound, chat.model));

    // Behaviour: deployment, then x-sim-* headers, then [[sim: ...]] directives.
    Behaviour behaviour = deployment.behaviour;
    for (const QString &key : Behaviour::settingKeys()) {
        const QByteArray value = request.header("x-sim-" + key.toLatin1());
        if (value.isEmpty())
            continue;
        problem = behaviour.applySetting(key, QString::fromUtf8(value));
        if (!problem.isEmpty())
            return send(connection, name, format->error(ErrorKind::BadRequest, problem));
    }
    const Directives directives = extractDirectives(chat.lastUserText);
    if (!directives.error.isEmpty())
        return send(connection, name, format->error(ErrorKind::BadRequest, directives.error));
    for (const auto &[key, value] : directives.settings) {
        problem = behaviour.applySetting(key, value);
        if (!problem.isEmpty())
            return send(connection, name, format->error(ErrorKind::BadRequest, problem));
    }
    if (behaviour.fault != FaultKind::None && behaviour.faultTimes >= 0
        && m_stats.faultsInjected(name) >= behaviour.faultTimes) {
        behaviour.fault = FaultKind::None;
    }

    const qint64 promptTokens = ContentGenerator::promptTokens(chat.messageTexts);
    m_stats.setLastRequest(
        name,
        { { u"path"_s, QString::fromUtf8(request.path) },
          { u"model"_s, chat.model },
          { u"stream"_s, chat.stream },
          { u"include_usage"_s, chat.includeUsage },
          { u"messages"_s, chat.messageTexts.size() },
          { u"max_tokens"_s, chat.maxTokens < 0 ? QJsonValue() : QJsonValue(chat.maxTokens) },
          { u"prompt_tokens"_s, promptTokens } });

    format->begin(chat, promptTokens);
    if (isStatusFault(behaviour.fault)) {
        m_stats.countFault(name, behaviour.fault);
        return send(connection, name, statusFaultReply(*format, behaviour));
    }

    QStringList tokens;
    switch (behaviour.mode) {
    case ContentMode::Echo:
        tokens = directives.remainingText.isEmpty()
            ? ContentGenerator::loremTokens(behaviour.tokens)
            : ContentGenerator::splitTokens(directives.remainingText);
        break;
    case ContentMode::Lorem:
        tokens = ContentGenerator::loremTokens(behaviour.tokens);
        break;
    case ContentMode::Script: {
        QString text;
        if (!m_config.scriptText(behaviour.script, &text, &problem))
            return send(connection, name, format->error(ErrorKind::BadRequest, problem));
        tokens = ContentGenerator::splitTokens(text);
        break;
    }
    }
    const bool truncated = chat.maxTokens > 0 && tokens.size() > chat.maxTokens;
    if (truncated)
        tokens.resize(chat.maxTokens);

    auto *session = new ResponseSession(connection, std::move(format), behaviour, tokens, truncated,
                                        chat.stream, &m_stats, name, &m_clock);
    session->start();
}

} // namespace parlance::sim
