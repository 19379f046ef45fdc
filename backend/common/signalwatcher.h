#pragma once

#include <QObject>

QT_BEGIN_NAMESPACE
class QSocketNotifier;
QT_END_NAMESPACE

namespace parlance {

// Turns SIGTERM and SIGINT into a Qt signal on the thread that created the
// watcher (the self-pipe trick: the handler only write()s one byte, which is
// async-signal-safe; a QSocketNotifier reads it in the event loop).
// One instance per process.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    // The signal number, e.g. SIGTERM.
    void terminationRequested(int signal);

private:
    void readPipe();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace parlance
