#pragma once

#include "auth/argon2phc.h"
#include "common/result.h"

#include <QList>
#include <QString>

#include <chrono>

namespace parlance {

// Everything an operator can set, with its default. Filled by ConfigLoader
// (file < environment < flags); `parlanced --help` lists every field with its
// flag, environment variable and default.
struct ServerConfig
{
    // Network
    QString listenHost = QStringLiteral("127.0.0.1");
    quint16 listenPort = 8080; // 0: any free port, printed on stdout
    QString tlsCertFile; // PEM; with tlsKeyFile: HTTPS
    QString tlsKeyFile;
    int threads = 0; // event-loop threads; 0: one per core
    int workers = 0; // database/CPU worker threads; 0: max(2, cores)
    int generationThreads = 1; // event loops running generations and their provider sockets
    int maxQueuedJobs = 1024;

    // Storage
    QString dataDir = QStringLiteral("./data");
    QString databaseUrl; // empty: sqlite:<dataDir>/parlance.db

    // Limits
    qint64 maxBodyBytes = 1024 * 1024;
    qint64 maxHeaderBytes = 16 * 1024;
    std::chrono::milliseconds requestTimeout { 30'000 };
    std::chrono::milliseconds idleTimeout { 60'000 };
    std::chrono::milliseconds shutdownTimeout { 10'000 };
    int maxConnections = 10'000;

    // Finished history pages kept in memory per process (HistoryPageCache);
    // 0 turns the cache off.
    qint64 historyCacheBytes = 64 * 1024 * 1024;

    // Logging
    QString accessLog = QStringLiteral("-"); // "-": stdout, "off", or a file

    // Authentication
    // Secret material (spec: base64:..., file:..., or text); empty: generated
    // once and kept in <dataDir>/jwt.key (one node only).
    QString jwtKey;
    QString jwtKeyId = QStringLiteral("k1");
    // Retired signing keys, still accepted for the tokens they signed: key
    // id and the file holding the key. Rotation signs with a new key and
    // keeps the old one here for an access-token lifetime (docs/auth.md).
    struct PreviousJwtKey
    {
        QString id;
        QString file;
    };
    QList<PreviousJwtKey> jwtPreviousKeys;
    std::chrono::seconds accessTokenLifetime { 15 * 60 };
    Argon2Params argon2;

    // Housekeeping (purging expired trash and refresh tokens); 0: never.
    std::chrono::milliseconds maintenanceInterval { 3'600'000 };
    // Models (docs/streaming.md): a catalog file; empty offers the built-in
    // `demo` model, answered by the provider simulator at demoProviderUrl.
    QString modelsFile;
    QString demoProviderUrl = QStringLiteral("http://127.0.0.1:8090");
    // Streaming: heartbeat interval on idle streams, and how long a finished
    // answer's event log stays in memory for late readers and resumes.
    std::chrono::milliseconds streamHeartbeat { 15'000 };
    std::chrono::milliseconds streamRetention { 5 * 60'000 };

    // Integration tests only: extra routes that sleep on a worker.
    bool testHooks = false;

    // Defaults that depend on other fields or the machine (threads, workers,
    // database URL). Called by ConfigLoader after all sources are applied.
    void resolveDefaults();
    // Cross-field rules: TLS files in pairs and readable, a known database
    // scheme, sane limits. The message names the flag to fix.
    [[nodiscard]] Status validate() const;

    [[nodiscard]] QString databasePath() const; // for sqlite: URLs
};

} // namespace parlance
