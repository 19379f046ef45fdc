#include "platform/keychainsecretstore.h"

#include <QLoggingCategory>
#include <QPointer>
#include <qt6keychain/keychain.h>

using namespace Qt::StringLiterals;

namespace {

Q_LOGGING_CATEGORY(lcKeychain, "parlance.keychain")

parlance::ApiError errorOf(const QKeychain::Job &job)
{
    QLatin1StringView code = SecretStore::Failed;
    switch (job.error()) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        code = SecretStore::Unavailable;
        break;
    case QKeychain::AccessDenied:
    case QKeychain::AccessDeniedByUser:
        code = SecretStore::AccessDenied;
        break;
    default:
        break;
    }
    return parlance::ApiError { QString(code), job.errorString(), std::nullopt };
}

// Starts `job`; `onDone(job)` runs when it finishes unless `context` died.
template<typename Job, typename Fn> void run(Job *job, QObject *context, Fn onDone)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    QObject::connect(job, &QKeychain::Job::finished, job,
                     [job, ctx = QPointer<QObject>(context), hadContext = context != nullptr,
                      onDone = std::move(onDone)](QKeychain::Job *) {
                         if (job->error() != QKeychain::NoError
                             && job->error() != QKeychain::EntryNotFound) {
                             // The key names the server and account, not a secret.
                             qCWarning(lcKeychain)
                                 << "keychain job failed:" << job->error() << job->errorString();
                         }
                         if (hadContext && !ctx)
                             return;
                         onDone(*job);
                     });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(const QString &service, QObject *parent)
    : SecretStore(parent)
    , m_service(service)
{ }

void KeychainSecretStore::read(const QString &key, QObject *context, ReadCallback done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service);
    job->setKey(key);
    run(job, context, [done = std::move(done)](const QKeychain::ReadPasswordJob &finished) {
        if (finished.error() == QKeychain::EntryNotFound)
            return done(std::optional<QString>());
        if (finished.error() != QKeychain::NoError)
            return done(errorOf(finished));
        done(std::optional<QString>(finished.textData()));
    });
}

void KeychainSecretStore::write(const QString &key, const QString &secret, QObject *context,
                                StatusCallback done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setKey(key);
    job->setTextData(secret);
    run(job, context, [done = std::move(done)](const QKeychain::WritePasswordJob &finished) {
        if (finished.error() != QKeychain::NoError)
            return done(errorOf(finished));
        done(parlance::Done {});
    });
}

void KeychainSecretStore::remove(const QString &key, QObject *context, StatusCallback done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service);
    job->setKey(key);
    run(job, context, [done = std::move(done)](const QKeychain::DeletePasswordJob &finished) {
        if (finished.error() != QKeychain::NoError && finished.error() != QKeychain::EntryNotFound)
            return done(errorOf(finished));
        done(parlance::Done {});
    });
}
