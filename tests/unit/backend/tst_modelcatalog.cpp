#include "contract/errorcodes.h"
#include "generation/modelcatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace parlance;

namespace {

const QString DataDir = QStringLiteral(PARLANCE_TEST_DATA_DIR "/catalog");

QJsonObject deployment()
{
    return QJsonObject {
        { "name"_L1, u"d1"_s },
        { "provider"_L1, u"openai"_s },
        { "base_url"_L1, u"https://api.example.com/v1"_s },
        { "api_key"_L1, u"sk-secret-value"_s },
        { "upstream_model"_L1, u"gpt-x"_s },
    };
}

QJsonObject model(const QJsonObject &dep = deployment())
{
    return QJsonObject {
        { "id"_L1, u"m1"_s },
        { "display_name"_L1, u"Model One"_s },
        { "context_window"_L1, 1000 },
        { "deployments"_L1, QJsonArray { dep } },
    };
}

QJsonObject config(const QJsonObject &m = model())
{
    return QJsonObject { { "models"_L1, QJsonArray { m } } };
}

// Sets `value` at a dotted path like "models.0.deployments.0.base_url";
// an undefined value removes the field.
QJsonValue setPath(QJsonValue node, QStringList path, const QJsonValue &value)
{
    const QString head = path.takeFirst();
    bool isIndex = false;
    const int index = head.toInt(&isIndex);
    if (isIndex) {
        QJsonArray array = node.toArray();
        array[index] = path.isEmpty() ? value : setPath(array.at(index), path, value);
        return array;
    }
    QJsonObject object = node.toObject();
    if (path.isEmpty()) {
        if (value.isUndefined())
            object.remove(head);
        else
            object.insert(head, value);
    } else {
        object.insert(head, setPath(object.value(head), path, value));
    }
    return object;
}

} // namespace

class TestModelCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exampleConfigLoads();
    void pricesInDollarsAndMicrosAgree();
    void keyFileIsReadAndTrimmed();
    void keyFromEnvironment();
    void keysNeverLeak();
    void invalidConfigNamesThePath_data();
    void invalidConfigNamesThePath();
    void builtInDemoCatalog();
    void tiersFilterModels();
    void resolveUnknownModel();
    void modelInfoUsesThePrimaryDeployment();
    void fromFileReportsUnreadableAndMalformedFiles();
};

void TestModelCatalog::exampleConfigLoads()
{
    const auto catalog = ModelCatalog::fromFile(DataDir + u"/example.json"_s);
    // The example's Azure key comes from the environment.
    if (!catalog.ok())
        QCOMPARE(catalog.error().message,
                 u"models[0].deployments[1].api_key_env: environment variable "
                 "PARLANCE_AZURE_KEY is not set"_s);
    qputenv("PARLANCE_AZURE_KEY", "azure-key");
    const auto loaded = ModelCatalog::fromFile(DataDir + u"/example.json"_s);
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error().message));
    QCOMPARE(loaded->models().size(), 3);
    QCOMPARE(loaded->defaultModelId(), u"gpt-4o"_s);
    const ModelEntry *gpt = loaded->find(u"gpt-4o"_s);
    QVERIFY(gpt);
    QCOMPARE(gpt->deployments.size(), 2);
    QCOMPARE(gpt->deployments[0].name, u"openai-gpt-4o"_s);
    QCOMPARE(gpt->deployments[0].firstTokenTimeout.count(), 10000);
    QCOMPARE(gpt->deployments[1].connectTimeout.count(), 5000); // default
    QCOMPARE(gpt->deployments[1].apiKey, QByteArray("azure-key"));
    QCOMPARE(gpt->deployments[1].extraHeaders.value(u"api-version"_s), u"2024-06-01"_s);
    QCOMPARE(gpt->deployments[0].contextWindow, 128000); // inherited from the model
    const ModelEntry *claude = loaded->find(u"claude-sonnet"_s);
    QCOMPARE(claude->deployments[0].provider, Deployment::Provider::Anthropic);
    QCOMPARE(claude->tiers, QStringList({ u"pro"_s, u"enterprise"_s }));
    QVERIFY(loaded->find(u"local-llama"_s)->deployments[0].apiKey.isEmpty());
    qunsetenv("PARLANCE_AZURE_KEY");
}

void TestModelCatalog::pricesInDollarsAndMicrosAgree()
{
    qputenv("PARLANCE_AZURE_KEY", "azure-key");
    const auto catalog = ModelCatalog::fromFile(DataDir + u"/example.json"_s);
    qunsetenv("PARLANCE_AZURE_KEY");
    QVERIFY(catalog.ok());
    const auto &deps = catalog->find(u"gpt-4o"_s)->deployments;
    QCOMPARE(deps[0].prices.inputMicrosPerMillion, 2'500'000);
    QCOMPARE(deps[0].prices.outputMicrosPerMillion, 10'000'000);
    QCOMPARE(deps[0].prices.cachedMicrosPerMillion, 1'250'000);
    QCOMPARE(deps[1].prices.inputMicrosPerMillion, deps[0].prices.inputMicrosPerMillion);
    QCOMPARE(deps[1].prices.cachedMicrosPerMillion, deps[0].prices.cachedMicrosPerMillion);
    QCOMPARE(catalog->find(u"claude-sonnet"_s)->deployments[0].prices.cachedMicrosPerMillion,
             300'000);
}

void TestModelCatalog::keyFileIsReadAndTrimmed()
{
    QJsonObject dep = deployment();
    dep.remove("api_key"_L1);
    dep.insert("api_key_file"_L1, u"openai.key"_s);
    const auto catalog = ModelCatalog::fromJson(config(model(dep)), { DataDir, {} });
    QVERIFY(catalog.ok());
    QCOMPARE(catalog->models()[0].deployments[0].apiKey, QByteArray("sk-test-from-file-123"));
    dep.insert("api_key_file"_L1, u"missing.key"_s);
    const auto missing = ModelCatalog::fromJson(config(model(dep)), { DataDir, {} });
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.startsWith(
        u"models[0].deployments[0].api_key_file: cannot read a key from "_s));
}

void TestModelCatalog::keyFromEnvironment()
{
    QJsonObject dep = deployment();
    dep.remove("api_key"_L1);
    dep.insert("api_key_env"_L1, u"MY_KEY"_s);
    ModelCatalog::LoadOptions options;
    options.env = [](const QString &name) {
        return name == "MY_KEY"_L1 ? QByteArray("from-env") : QByteArray();
    };
    const auto catalog = ModelCatalog::fromJson(config(model(dep)), options);
    QVERIFY(catalog.ok());
    QCOMPARE(catalog->models()[0].deployments[0].apiKey, QByteArray("from-env"));
}

void TestModelCatalog::keysNeverLeak()
{
    const auto catalog = ModelCatalog::fromJson(config());
    QVERIFY(catalog.ok());
    const QJsonObject redacted = catalog->models()[0].deployments[0].toRedactedJson();
    const QByteArray text = QJsonDocument(redacted).toJson();
    QVERIFY(!text.contains("sk-secret-value"));
    QCOMPARE(redacted.value("api_key_set"_L1).toBool(), true);
    const QByteArray info = QJsonDocument(catalog->modelInfos()[0].toJson()).toJson();
    QVERIFY(!info.contains("sk-secret-value"));
    QVERIFY(!info.contains("api.example.com"));
    // An error elsewhere in the deployment does not echo the key either.
    QJsonObject dep = deployment();
    dep.insert("base_url"_L1, u"nope"_s);
    const auto bad = ModelCatalog::fromJson(config(model(dep)));
    QVERIFY(!bad.ok());
    QVERIFY(!bad.error().message.contains(u"sk-secret-value"_s));
}

void TestModelCatalog::invalidConfigNamesThePath_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("message");
    const QString invalid(errc::InvalidField);
    const QString missing(errc::MissingField);
    const QJsonValue remove(QJsonValue::Undefined);
    QTest::newRow("no models") << u"models"_s << remove << missing << u"models: required"_s;
    QTest::newRow("empty models") << u"models"_s << QJsonValue(QJsonArray()) << invalid
                                  << u"models: needs at least one model"_s;
    QTest::newRow("model not an object")
        << u"models.0"_s << QJsonValue(3) << invalid << u"models[0]: must be an object"_s;
    QTest::newRow("unknown top-level field")
        << u"modles"_s << QJsonValue(1) << invalid << u"modles: unknown field"_s;
    QTest::newRow("bad id") << u"models.0.id"_s << QJsonValue(u"GPT 4"_s) << invalid
                            << u"models[0].id: use lowercase letters, digits, . _ : -"_s;
    QTest::newRow("missing display name")
        << u"models.0.display_name"_s << remove << missing << u"models[0].display_name: required"_s;
    QTest::newRow("window not integer")
        << u"models.0.context_window"_s << QJsonValue(1.5) << invalid
        << u"models[0].context_window: must be an integer"_s;
    QTest::newRow("window zero") << u"models.0.context_window"_s << QJsonValue(0) << invalid
                                 << u"models[0].context_window: must be at least 1"_s;
    QTest::newRow("window missing") << u"models.0.context_window"_s << remove << missing
                                    << u"models[0].context_window: required"_s;
    QTest::newRow("unknown capability")
        << u"models.0.capabilities"_s << QJsonValue(QJsonArray { u"telepathy"_s }) << invalid
        << u"models[0].capabilities: unknown capability \"telepathy\" (known: vision, tools, "
           "reasoning)"_s;
    QTest::newRow("tier not a string")
        << u"models.0.tiers"_s << QJsonValue(QJsonArray { 1 }) << invalid
        << u"models[0].tiers[0]: must be a non-empty string"_s;
    QTest::newRow("no deployments")
        << u"models.0.deployments"_s << QJsonValue(QJsonArray()) << invalid
        << u"models[0].deployments: needs at least one deployment"_s;
    QTest::newRow("unknown provider")
        << u"models.0.deployments.0.provider"_s << QJsonValue(u"cohere"_s) << invalid
        << u"models[0].deployments[0].provider: must be \"openai\" or \"anthropic\""_s;
    QTest::newRow("base url not a URL")
        << u"models.0.deployments.0.base_url"_s << QJsonValue(u"not a url"_s) << invalid
        << u"models[0].deployments[0].base_url: not an http(s) URL"_s;
    QTest::newRow("base url ftp") << u"models.0.deployments.0.base_url"_s
                                  << QJsonValue(u"ftp://host/v1"_s) << invalid
                                  << u"models[0].deployments[0].base_url: not an http(s) URL"_s;
    QTest::newRow("base url with credentials")
        << u"models.0.deployments.0.base_url"_s << QJsonValue(u"https://u:p@host/v1"_s) << invalid
        << u"models[0].deployments[0].base_url: not an http(s) URL"_s;
    QTest::newRow("missing upstream model")
        << u"models.0.deployments.0.upstream_model"_s << remove << missing
        << u"models[0].deployments[0].upstream_model: required"_s;
    QTest::newRow("two key sources")
        << u"models.0.deployments.0.api_key_env"_s << QJsonValue(u"X"_s) << invalid
        << u"models[0].deployments[0].api_key: give only one of api_key, api_key_file, "
           "api_key_env"_s;
    QTest::newRow("deployment window below model's")
        << u"models.0.deployments.0.context_window"_s << QJsonValue(500) << invalid
        << u"models[0].deployments[0].context_window: smaller than the model's "
           "context_window (1000)"_s;
    QTest::newRow("negative price")
        << u"models.0.deployments.0.prices"_s << QJsonValue(QJsonObject { { "input"_L1, -1 } })
        << invalid << u"models[0].deployments[0].prices.input: must be at least 0"_s;
    QTest::newRow("price with too many decimals")
        << u"models.0.deployments.0.prices"_s
        << QJsonValue(QJsonObject { { "output"_L1, u"0.0000001"_s } }) << invalid
        << u"models[0].deployments[0].prices.output: must be a non-negative dollar amount like "
           "\"2.50\" or integer micros"_s;
    QTest::newRow("unknown price field")
        << u"models.0.deployments.0.prices"_s << QJsonValue(QJsonObject { { "inptu"_L1, 1 } })
        << invalid << u"models[0].deployments[0].prices.inptu: unknown field"_s;
    QTest::newRow("timeout zero")
        << u"models.0.deployments.0.timeouts"_s
        << QJsonValue(QJsonObject { { "first_token_ms"_L1, 0 } }) << invalid
        << u"models[0].deployments[0].timeouts.first_token_ms: must be between 1 and 600000"_s;
    QTest::newRow("authorization header")
        << u"models.0.deployments.0.headers"_s
        << QJsonValue(QJsonObject { { "Authorization"_L1, u"x"_s } }) << invalid
        << u"models[0].deployments[0].headers.Authorization: set by the server; use api_key"_s;
    QTest::newRow("header with newline")
        << u"models.0.deployments.0.headers"_s
        << QJsonValue(QJsonObject { { "X-A"_L1, u"a\r\nX-B: b"_s } }) << invalid
        << u"models[0].deployments[0].headers.X-A: must be one line"_s;
    QTest::newRow("unknown deployment field")
        << u"models.0.deployments.0.api_kye"_s << QJsonValue(u"x"_s) << invalid
        << u"models[0].deployments[0].api_kye: unknown field"_s;
    QTest::newRow("default model unknown") << u"default_model"_s << QJsonValue(u"zzz"_s) << invalid
                                           << u"default_model: names no model in models"_s;
}

void TestModelCatalog::invalidConfigNamesThePath()
{
    QFETCH(QString, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, code);
    QFETCH(QString, message);
    const QJsonObject json = setPath(config(), path.split(u'.'), value).toObject();
    const auto catalog = ModelCatalog::fromJson(json);
    QVERIFY(!catalog.ok());
    QCOMPARE(catalog.error().message, message);
    QCOMPARE(catalog.error().code, code);
}

void TestModelCatalog::builtInDemoCatalog()
{
    const ModelCatalog catalog = ModelCatalog::builtIn();
    QCOMPARE(catalog.defaultModelId(), u"demo"_s);
    const ModelEntry *demo = catalog.find(u"demo"_s);
    QVERIFY(demo);
    QCOMPARE(demo->displayName, u"Demo (simulated)"_s);
    QCOMPARE(demo->deployments.size(), 1);
    QCOMPARE(demo->deployments[0].baseUrl, QUrl(u"http://127.0.0.1:8090/v1"_s));
    QCOMPARE(demo->deployments[0].provider, Deployment::Provider::OpenAI);
    const ModelInfo info = demo->toModelInfo();
    QVERIFY(info.isDemo);
    QCOMPARE(info.provider, u"simulator"_s);
    QCOMPARE(info.inputMicrosPerMillion, 0);
    QCOMPARE(info.outputMicrosPerMillion, 0);
    QCOMPARE(
        ModelCatalog::builtIn(QUrl(u"http://sim:9000/"_s)).find(u"demo"_s)->deployments[0].baseUrl,
        QUrl(u"http://sim:9000/v1"_s));
}

void TestModelCatalog::tiersFilterModels()
{
    qputenv("PARLANCE_AZURE_KEY", "k");
    const auto catalog = ModelCatalog::fromFile(DataDir + u"/example.json"_s);
    qunsetenv("PARLANCE_AZURE_KEY");
    QVERIFY(catalog.ok());
    QCOMPARE(catalog->modelInfos(u"free"_s).size(), 2);
    QCOMPARE(catalog->modelInfos(u"pro"_s).size(), 3);
    QCOMPARE(catalog->resolve(u"claude-sonnet"_s, u"free"_s).error().code,
             QString(errc::UnknownModel));
    QVERIFY(catalog->resolve(u"claude-sonnet"_s, u"pro"_s).ok());
}

void TestModelCatalog::resolveUnknownModel()
{
    const ModelCatalog catalog = ModelCatalog::builtIn();
    const auto result = catalog.resolve(u"gpt-5"_s);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, QString(errc::UnknownModel));
    QCOMPARE(errc::httpStatusFor(errc::UnknownModel), 400);
}

void TestModelCatalog::modelInfoUsesThePrimaryDeployment()
{
    qputenv("PARLANCE_AZURE_KEY", "k");
    const auto catalog = ModelCatalog::fromFile(DataDir + u"/example.json"_s);
    qunsetenv("PARLANCE_AZURE_KEY");
    QVERIFY(catalog.ok());
    const ModelInfo info = catalog->find(u"claude-sonnet"_s)->toModelInfo();
    QCOMPARE(info.id, u"claude-sonnet"_s);
    QCOMPARE(info.displayName, u"Claude Sonnet"_s);
    QCOMPARE(info.provider, u"anthropic"_s);
    QCOMPARE(info.contextWindow, 200000);
    QCOMPARE(info.inputMicrosPerMillion, 3'000'000);
    QCOMPARE(info.outputMicrosPerMillion, 15'000'000);
    QVERIFY(info.supportsImages);
    QVERIFY(!info.isDemo);
    QVERIFY(ModelInfo::fromJson(info.toJson()).ok()); // valid for the API
}

void TestModelCatalog::fromFileReportsUnreadableAndMalformedFiles()
{
    const auto missing = ModelCatalog::fromFile(DataDir + u"/nope.json"_s);
    QVERIFY(!missing.ok());
    QVERIFY(missing.error().message.contains(u"cannot open"_s));
    const auto malformed = ModelCatalog::fromFile(DataDir + u"/openai.key"_s);
    QVERIFY(!malformed.ok());
    QCOMPARE(malformed.error().code, QString(errc::MalformedJson));
}

QTEST_GUILESS_MAIN(TestModelCatalog)
#include "tst_modelcatalog.moc"
