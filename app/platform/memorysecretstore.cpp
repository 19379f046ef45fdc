#include "platform/memorysecretstore.h"

#include <QMetaObject>
#include <QPointer>

namespace {

// Runs `fn` on the next event-loop turn unless `context` died meanwhile, so
// callers see the same asynchrony as with a real keychain.
template<typename Fn> void later(QObject *self, QObject *context, Fn fn)
{
    QMetaObject::invokeMethod(
        self,
        [ctx = QPointer<QObject>(context), hadContext = context != nullptr, fn = std::move(fn)] {
            if (hadContext && !ctx)
                return;
            fn();
        },
        Qt::QueuedConnection);
}

} // namespace

void MemorySecretStore::read(const QString &key, QObject *context, ReadCallback done)
{
    parlance::Result<std::optional<QString>> result = std::optional<QString>();
    if (m_failure)
        result = *m_failure;
    else if (const auto it = m_entries.constFind(key); it != m_entries.cend())
        result = std::optional<QString>(*it);
    later(this, context, [done = std::move(done), result] { done(result); });
}

void MemorySecretStore::write(const QString &key, const QString &secret, QObject *context,
                              StatusCallback done)
{
    parlance::Status status = parlance::Done {};
    if (m_failure)
        status = *m_failure;
    else
        m_entries.insert(key, secret);
    later(this, context, [done = std::move(done), status] { done(status); });
}

void MemorySecretStore::remove(const QString &key, QObject *context, StatusCallback done)
{
    parlance::Status status = parlance::Done {};
    if (m_failure)
        status = *m_failure;
    else
        m_entries.remove(key);
    later(this, context, [done = std::move(done), status] { done(status); });
}
