#include "generation/modelcatalog.h"

#include "contract/errorcodes.h"
#include "generation/configreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace parlance {

namespace {

const QStringList KnownCapabilities { u"vision"_s, u"tools"_s, u"reasoning"_s };

bool isSlug(const QString &id)
{
    static const QRegularExpression pattern(u"^[a-z0-9][a-z0-9._:-]{0,63}$"_s);
    return pattern.match(id).hasMatch();
}

bool isHeaderName(const QString &name)
{
    static const QRegularExpression pattern(u"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$"_s);
    return pattern.match(name).hasMatch();
}

// "input": 2500000 (micros) or "input": "$2.50" (dollars) per million tokens.
qint64 readPrice(ConfigReader &prices, QLatin1StringView key)
{
    if (!prices.has(key)) {
        (void)prices.integer(key, 0);
        return 0;
    }
    if (prices.raw().value(key).isString()) {
        const QString text = prices.string(key, true);
        const auto money = Money::parse(text);
        if (!money || money->micros() < 0) {
            prices.fail(key, errc::InvalidField,
                        u"must be a non-negative dollar amount like \"2.50\" or integer micros"_s);
            return 0;
        }
        return money->micros();
    }
    return prices.integer(key, 0, 0);
}

QByteArray readSecretFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    // Keys are one line; a trailing newline from `echo` is not part of it.
    return file.read(64 * 1024).trimmed();
}

Deployment readDeployment(ConfigReader &r, const ModelCatalog::LoadOptions &options,
                          qint64 modelWindow)
{
    Deployment d;
    d.name = r.string("name"_L1, true);
    if (!r.failed() && !isSlug(d.name))
        r.fail("name"_L1, errc::InvalidField, u"use lowercase letters, digits, . _ : -"_s);
    const QString provider = r.string("provider"_L1, true);
    if (provider == "openai"_L1)
        d.provider = Deployment::Provider::OpenAI;
    else if (provider == "anthropic"_L1)
        d.provider = Deployment::Provider::Anthropic;
    else if (!r.failed())
        r.fail("provider"_L1, errc::InvalidField, u"must be \"openai\" or \"anthropic\""_s);
    const QString base = r.string("base_url"_L1, true);
    d.baseUrl = QUrl(base, QUrl::StrictMode);
    if (!r.failed()
        && (!d.baseUrl.isValid() || d.baseUrl.host().isEmpty()
            || (d.baseUrl.scheme() != "http"_L1 && d.baseUrl.scheme() != "https"_L1)
            || d.baseUrl.hasQuery() || d.baseUrl.hasFragment()
            || !d.baseUrl.userInfo().isEmpty())) {
        r.fail("base_url"_L1, errc::InvalidField, u"not an http(s) URL"_s);
    }
    // Exactly one key source, or none (local servers such as Ollama).
    const bool inlineKey = r.has("api_key"_L1);
    const bool fileKey = r.has("api_key_file"_L1);
    const bool envKey = r.has("api_key_env"_L1);
    if (int(inlineKey) + int(fileKey) + int(envKey) > 1) {
        r.fail("api_key"_L1, errc::InvalidField,
               u"give only one of api_key, api_key_file, api_key_env"_s);
    }
    const QString keyText = r.string("api_key"_L1, false);
    const QString keyFile = r.string("api_key_file"_L1, false);
    const QString keyEnv = r.string("api_key_env"_L1, false);
    if (inlineKey) {
        d.apiKey = keyText.toUtf8();
    } else if (fileKey && !r.failed()) {
        const QString path = QDir(options.baseDir).absoluteFilePath(keyFile);
        d.apiKey = readSecretFile(path);
        if (d.apiKey.isEmpty()) // the path is not secret; the content is
            r.fail("api_key_file"_L1, errc::InvalidField, u"cannot read a key from "_s + path);
    } else if (envKey && !r.failed()) {
        d.apiKey = options.env ? options.env(keyEnv) : qgetenv(keyEnv.toLocal8Bit().constData());
        if (d.apiKey.isEmpty())
            r.fail("api_key_env"_L1, errc::InvalidField,
                   u"environment variable "_s + keyEnv + u" is not set"_s);
    }
    if (!r.failed() && (d.apiKey.contains('\n') || d.apiKey.contains('\r')))
        r.fail("api_key"_L1, errc::InvalidField, u"must be one line"_s);
    d.upstreamModel = r.string("upstream_model"_L1, true);
    d.contextWindow = r.integer("context_window"_L1, modelWindow, 1);
    if (!r.failed() && d.contextWindow < modelWindow) {
        r.fail("context_window"_L1, errc::InvalidField,
               u"smaller than the model's context_window (%1)"_s.arg(modelWindow));
    }
    ConfigReader prices = r.object("prices"_L1);
    d.prices.inputMicrosPerMillion = readPrice(prices, "input"_L1);
    d.prices.outputMicrosPerMillion = readPrice(prices, "output"_L1);
    d.prices.cachedMicrosPerMillion = readPrice(prices, "cached_input"_L1);
    prices.rejectUnknownFields();
    ConfigReader timeouts = r.object("timeouts"_L1);
    d.connectTimeout =
        std::chrono::milliseconds(timeouts.integer("connect_ms"_L1, 5000, 1, 600'000));
    d.firstTokenTimeout =
        std::chrono::milliseconds(timeouts.integer("first_token_ms"_L1, 15'000, 1, 600'000));
    timeouts.rejectUnknownFields();
    ConfigReader headers = r.object("headers"_L1);
    for (auto it = headers.raw().constBegin(); it != headers.raw().constEnd(); ++it) {
        const QByteArray key = it.key().toUtf8();
        const QLatin1StringView keyView(key);
        const QString value = headers.string(keyView, true);
        const QString lower = it.key().toLower();
        if (!isHeaderName(it.key()))
            headers.fail(keyView, errc::InvalidField, u"not a valid header name"_s);
        else if (lower == "authorization"_L1 || lower == "x-api-key"_L1 || lower == "host"_L1
                 || lower == "content-length"_L1)
            headers.fail(keyView, errc::InvalidField, u"set by the server; use api_key"_s);
        else if (value.contains(u'\n') || value.contains(u'\r'))
            headers.fail(keyView, errc::InvalidField, u"must be one line"_s);
        d.extraHeaders.insert(it.key(), value);
    }
    r.rejectUnknownFields();
    return d;
}

ModelEntry readModel(ConfigReader &r, const ModelCatalog::LoadOptions &options,
                     QSet<QString> &deploymentNames)
{
    ModelEntry m;
    m.id = r.string("id"_L1, true);
    if (!r.failed() && !isSlug(m.id))
        r.fail("id"_L1, errc::InvalidField, u"use lowercase letters, digits, . _ : -"_s);
    m.displayName = r.string("display_name"_L1, true);
    m.description = r.string("description"_L1, false);
    m.contextWindow = r.integer("context_window"_L1, 0, 1);
    if (!r.has("context_window"_L1))
        r.fail("context_window"_L1, errc::MissingField, u"required"_s);
    m.capabilities = r.stringList("capabilities"_L1);
    for (const QString &capability : std::as_const(m.capabilities)) {
        if (!KnownCapabilities.contains(capability)) {
            r.fail("capabilities"_L1, errc::InvalidField,
                   u"unknown capability \"%1\" (known: %2)"_s.arg(capability,
                                                                  KnownCapabilities.join(u", ")));
        }
    }
    m.tiers = r.stringList("tiers"_L1);
    m.isDemo = r.boolean("demo"_L1, false);
    const QJsonArray deployments = r.array("deployments"_L1, true);
    if (!r.failed() && deployments.isEmpty())
        r.fail("deployments"_L1, errc::InvalidField, u"needs at least one deployment"_s);
    for (qsizetype i = 0; i < deployments.size() && !r.failed(); ++i) {
        ConfigReader dr = r.element(deployments, i, "deployments"_L1);
        Deployment d = readDeployment(dr, options, m.contextWindow);
        if (!r.failed() && deploymentNames.contains(d.name)) {
            dr.fail("name"_L1, errc::InvalidField,
                    u"deployment \"%1\" is defined twice"_s.arg(d.name));
        }
        deploymentNames.insert(d.name);
        m.deployments.append(std::move(d));
    }
    r.rejectUnknownFields();
    return m;
}

} // namespace

QLatin1StringView Deployment::providerName(Provider provider)
{
    return provider == Provider::Anthropic ? "anthropic"_L1 : "openai"_L1;
}

QJsonObject Deployment::toRedactedJson() const
{
    QJsonObject headers;
    for (auto it = extraHeaders.cbegin(); it != extraHeaders.cend(); ++it)
        headers.insert(it.key(), it.value());
    return QJsonObject {
        { "name"_L1, name },
        { "provider"_L1, providerName(provider) },
        { "base_url"_L1, baseUrl.toString() },
        { "api_key_set"_L1, !apiKey.isEmpty() },
        { "upstream_model"_L1, upstreamModel },
        { "context_window"_L1, contextWindow },
        { "input_micros_per_million"_L1, prices.inputMicrosPerMillion },
        { "output_micros_per_million"_L1, prices.outputMicrosPerMillion },
        { "cached_micros_per_million"_L1, prices.cachedMicrosPerMillion },
        { "connect_timeout_ms"_L1, qint64(connectTimeout.count()) },
        { "first_token_timeout_ms"_L1, qint64(firstTokenTimeout.count()) },
        { "headers"_L1, headers },
    };
}

bool ModelEntry::allowsTier(const QString &tier) const
{
    return tiers.isEmpty() || tiers.contains(tier);
}

ModelInfo ModelEntry::toModelInfo() const
{
    ModelInfo info;
    info.id = id;
    info.displayName = displayName;
    info.contextWindow = contextWindow;
    info.supportsImages = capabilities.contains(u"vision"_s);
    info.isDemo = isDemo;
    if (!deployments.isEmpty()) {
        const Deployment &primary = deployments.first();
        info.provider =
            isDemo ? u"simulator"_s : QString(Deployment::providerName(primary.provider));
        info.inputMicrosPerMillion = primary.prices.inputMicrosPerMillion;
        info.outputMicrosPerMillion = primary.prices.outputMicrosPerMillion;
        info.cachedMicrosPerMillion = primary.prices.cachedMicrosPerMillion;
    }
    return info;
}

Result<ModelCatalog> ModelCatalog::fromJson(const QJsonObject &json, const LoadOptions &options)
{
    ConfigReader root(json, QString());
    ModelCatalog catalog;
    const QJsonArray models = root.array("models"_L1, true);
    if (!root.failed() && models.isEmpty())
        root.fail("models"_L1, errc::InvalidField, u"needs at least one model"_s);
    QSet<QString> ids;
    QSet<QString> deploymentNames;
    for (qsizetype i = 0; i < models.size() && !root.failed(); ++i) {
        ConfigReader mr = root.element(models, i, "models"_L1);
        ModelEntry model = readModel(mr, options, deploymentNames);
        if (!root.failed() && ids.contains(model.id))
            mr.fail("id"_L1, errc::InvalidField, u"model \"%1\" is defined twice"_s.arg(model.id));
        ids.insert(model.id);
        catalog.m_models.append(std::move(model));
    }
    catalog.m_defaultModel = root.string("default_model"_L1, false);
    if (!root.failed() && catalog.m_defaultModel.isEmpty() && !catalog.m_models.isEmpty())
        catalog.m_defaultModel = catalog.m_models.first().id;
    if (!root.failed() && !ids.contains(catalog.m_defaultModel))
        root.fail("default_model"_L1, errc::InvalidField, u"names no model in models"_s);
    root.rejectUnknownFields();
    if (const auto error = root.error())
        return *error;
    return catalog;
}

Result<ModelCatalog> ModelCatalog::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return ApiError { QString(errc::InvalidField),
                          path + u": cannot open: "_s + file.errorString(), std::nullopt };
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        return ApiError { QString(errc::MalformedJson),
                          path
                              + u": not a JSON object (%1 at offset %2)"_s
                                    .arg(parseError.errorString())
                                    .arg(parseError.offset),
                          std::nullopt };
    }
    return fromJson(document.object(), LoadOptions { QFileInfo(path).absolutePath(), {} });
}

ModelCatalog ModelCatalog::builtIn(const QUrl &simulatorUrl)
{
    Deployment simulator;
    simulator.name = u"simulator"_s;
    simulator.provider = Deployment::Provider::OpenAI;
    QUrl base = simulatorUrl;
    base.setPath(base.path(QUrl::FullyEncoded).chopped(base.path().endsWith(u'/') ? 1 : 0)
                 + u"/v1"_s);
    simulator.baseUrl = base;
    simulator.upstreamModel = u"demo"_s;
    // The simulator accepts any non-empty key and refuses none.
    simulator.apiKey = QByteArrayLiteral("demo");
    simulator.contextWindow = 32768;
    ModelEntry demo;
    demo.id = u"demo"_s;
    demo.displayName = u"Demo (simulated)"_s;
    demo.description = u"Answers come from the built-in provider simulator, not a real model."_s;
    demo.contextWindow = 32768;
    demo.isDemo = true;
    demo.deployments = { simulator };
    ModelCatalog catalog;
    catalog.m_models = { demo };
    catalog.m_defaultModel = demo.id;
    return catalog;
}

const ModelEntry *ModelCatalog::find(const QString &id) const
{
    for (const ModelEntry &model : m_models) {
        if (model.id == id)
            return &model;
    }
    return nullptr;
}

Result<ModelEntry> ModelCatalog::resolve(const QString &id, const QString &tier) const
{
    const ModelEntry *model = find(id);
    if (!model || !model->allowsTier(tier)) {
        return ApiError { QString(errc::UnknownModel),
                          u"There is no model \"%1\" available to you."_s.arg(id.left(64)),
                          std::nullopt };
    }
    return *model;
}

QList<ModelInfo> ModelCatalog::modelInfos(const QString &tier) const
{
    QList<ModelInfo> out;
    for (const ModelEntry &model : m_models) {
        if (model.allowsTier(tier))
            out.append(model.toModelInfo());
    }
    return out;
}

} // namespace parlance
