#include "loadgenerator.h"

#include <QHostAddress>
#include <QTcpSocket>

#include <cmath>

namespace parlance::loadgen {

namespace {

constexpr qint64 NsPerSecond = 1'000'000'000;

} // namespace

LoadGenerator::LoadGenerator(LoadOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_ticker.setTimerType(Qt::PreciseTimer);
    m_ticker.setInterval(1);
    connect(&m_ticker, &QTimer::timeout, this, &LoadGenerator::tick);
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (!m_scheduleOver)
            endSchedule();
        else
            complete();
    });
}

LoadGenerator::~LoadGenerator() = default;

void LoadGenerator::start()
{
    m_clock.start();
    if (m_options.requests.isEmpty() || m_options.connections < 1) {
        m_error = QStringLiteral("nothing to send");
        QTimer::singleShot(0, this, &LoadGenerator::complete);
        return;
    }
    m_connections.reserve(size_t(m_options.connections));
    for (int i = 0; i < m_options.connections; ++i) {
        auto connection = std::make_unique<Connection>();
        connection->socket = new QTcpSocket(this);
        QTcpSocket *socket = connection->socket;
        connect(socket, &QTcpSocket::connected, this, [this, i] { onConnected(i); });
        connect(socket, &QTcpSocket::readyRead, this, [this, i] { onReadyRead(i); });
        connect(socket, &QTcpSocket::disconnected, this, [this, i] { onSocketLost(i); });
        connect(socket, &QTcpSocket::errorOccurred, this, [this, i] { onSocketLost(i); });
        m_connections.push_back(std::move(connection));
        connectSocket(i);
    }
    // Connecting must not take forever (a server that is not there).
    QTimer::singleShot(10'000, this, [this] {
        if (!m_running && !m_done) {
            m_error = QStringLiteral("could not open %1 connections to %2:%3")
                                         .arg(m_options.connections)
                                         .arg(m_options.host)
                                         .arg(m_options.port);
            complete();
        }
    });
}

void LoadGenerator::connectSocket(int index)
{
    Connection &c = *m_connections[size_t(index)];
    c.reader.reset();
    c.connected = false;
    c.busy = false;
    // abort() may emit disconnected(): this is not a second loss.
    c.socket->blockSignals(true);
    c.socket->abort();
    c.socket->blockSignals(false);
    if (m_options.sourceAddresses > 0) {
        const quint32 source = 0x7f000002u + quint32(index % m_options.sourceAddresses);
        c.socket->bind(QHostAddress(source), 0);
    }
    c.socket->connectToHost(m_options.host, m_options.port);
}

void LoadGenerator::onConnected(int index)
{
    Connection &c = *m_connections[size_t(index)];
    c.connected = true;
    c.socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (!m_running) {
        if (++m_connectedCount == m_options.connections)
            begin();
        return;
    }
    m_idle.push_back(index);
    dispatch();
}

void LoadGenerator::begin()
{
    m_running = true;
    for (int i = 0; i < m_options.connections; ++i)
        m_idle.push_back(i);
    m_startNs = now();
    m_lastAnswerNs = m_startNs;
    m_deadline.start(int(std::lround(m_options.durationSeconds * 1000)));
    if (m_options.rate > 0) {
        m_ticker.start();
        tick();
    } else {
        dispatch();
    }
}

void LoadGenerator::tick()
{
    if (m_scheduleOver)
        return;
    // Every request whose scheduled time has passed joins the backlog; the
    // ticker may fire late under load, the schedule does not move.
    const double elapsed = double(now() - m_startNs);
    const double total = m_options.rate * m_options.durationSeconds;
    const auto due =
        qint64(std::min(total, std::floor(elapsed * m_options.rate / NsPerSecond) + 1));
    const double intervalNs = NsPerSecond / m_options.rate;
    while (m_result.scheduled < due) {
        m_backlog.push_back(m_startNs + qint64(double(m_result.scheduled) * intervalNs));
        ++m_result.scheduled;
    }
    dispatch();
    m_result.maxBacklog = std::max(m_result.maxBacklog, int(m_backlog.size()));
}

void LoadGenerator::dispatch()
{
    if (!m_running || m_done)
        return;
    if (m_options.rate > 0) {
        while (!m_backlog.empty() && !m_idle.empty()) {
            const int index = m_idle.back();
            m_idle.pop_back();
            send(index, m_backlog.front());
            m_backlog.pop_front();
        }
        return;
    }
    if (m_scheduleOver)
        return;
    while (!m_idle.empty()) {
        const int index = m_idle.back();
        m_idle.pop_back();
        ++m_result.scheduled;
        send(index, now());
    }
}

void LoadGenerator::send(int index, qint64 scheduledNs)
{
    Connection &c = *m_connections[size_t(index)];
    c.busy = true;
    c.scheduledNs = scheduledNs;
    ++m_inFlight;
    const QByteArray &request =
        m_options.requests[qsizetype(m_nextRequest++ % m_options.requests.size())];
    c.socket->write(request);
}

void LoadGenerator::onReadyRead(int index)
{
    Connection &c = *m_connections[size_t(index)];
    QByteArray bytes = c.socket->readAll();
    while (auto response = c.reader.feed(bytes)) {
        bytes.clear();
        if (!c.busy)
            break; // An answer nobody asked for: ignore it.
        const qint64 t = now();
        c.busy = false;
        --m_inFlight;
        m_lastAnswerNs = t;
        m_result.latenciesNs.push_back(t - c.scheduledNs);
        if (response->status >= 400)
            ++m_result.httpErrors;
        else
            ++m_result.ok;
        if (response->closeConnection) {
            connectSocket(index);
            return;
        }
        m_idle.push_back(index);
    }
    if (c.reader.failed()) {
        onSocketLost(index);
        return;
    }
    dispatch();
    if (m_scheduleOver && m_inFlight == 0 && (m_options.rate <= 0 || m_backlog.empty()))
        complete();
}

void LoadGenerator::onSocketLost(int index)
{
    Connection &c = *m_connections[size_t(index)];
    if (m_done)
        return;
    if (!m_running) {
        // Could not connect at all.
        m_error = QStringLiteral("connection failed: %1").arg(c.socket->errorString());
        complete();
        return;
    }
    if (c.busy) {
        ++m_result.failed;
        --m_inFlight;
    }
    const bool wasIdle = c.connected && !c.busy;
    if (wasIdle)
        std::erase(m_idle, index);
    connectSocket(index);
}

void LoadGenerator::endSchedule()
{
    if (m_options.rate > 0)
        tick(); // Anything due at the very end.
    m_scheduleOver = true;
    m_ticker.stop();
    if (m_inFlight == 0 && m_backlog.empty()) {
        complete();
        return;
    }
    m_deadline.start(int(std::lround(m_options.drainSeconds * 1000)));
}

void LoadGenerator::complete()
{
    if (m_done)
        return;
    m_done = true;
    m_ticker.stop();
    m_deadline.stop();
    // Never answered, or never sent because no connection was free.
    m_result.failed += m_inFlight + qint64(m_backlog.size());
    m_result.seconds = double(std::max<qint64>(m_lastAnswerNs - m_startNs, 1)) / NsPerSecond;
    for (auto &c : m_connections) {
        c->socket->blockSignals(true);
        c->socket->abort();
    }
    Q_EMIT finished();
}

} // namespace parlance::loadgen
