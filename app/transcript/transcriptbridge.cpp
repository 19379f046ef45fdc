#include "transcriptbridge.h"

#include "transcriptchannel.h"
#include "transcriptdocument.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QEvent>
#include <QGuiApplication>
#include <QLoggingCategory>
#include <QPalette>
#include <QUrl>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcTranscript, "parlance.transcript")

namespace {

// One push per frame at 60 Hz: the page applies what arrives once per
// animation frame anyway, so pushing more often only adds IPC.
constexpr qint64 pushIntervalMs = 16;
constexpr int minFontSize = 10;
constexpr int maxFontSize = 32;

class ScopedNanos
{
public:
    explicit ScopedNanos(qint64 &sink)
        : m_sink(sink)
    {
        m_timer.start();
    }
    ~ScopedNanos() { m_sink += m_timer.nsecsElapsed(); }
    ScopedNanos(const ScopedNanos &) = delete;
    ScopedNanos &operator=(const ScopedNanos &) = delete;

private:
    qint64 &m_sink;
    QElapsedTimer m_timer;
};

} // namespace

TranscriptBridge::TranscriptBridge(QObject *parent)
    : QObject(parent)
    , m_document(std::make_unique<TranscriptDocument>())
    , m_channel(new TranscriptChannel(this))
{
    m_pushTimer.setSingleShot(true);
    m_pushTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_pushTimer, &QTimer::timeout, this, &TranscriptBridge::flush);
    m_sinceLastPush.start();

    connect(m_channel, &TranscriptChannel::pageReady, this, &TranscriptBridge::onPageReady);
    connect(m_channel, &TranscriptChannel::copyRequested, this, [this](const QString &code) {
        if (auto *clipboard = QGuiApplication::clipboard()) {
            clipboard->setText(code);
            Q_EMIT codeCopied();
        }
    });
    connect(m_channel, &TranscriptChannel::linkRequested, this,
            [this](const QString &url) { openExternally(QUrl(url)); });
    connect(m_channel, &TranscriptChannel::siblingRequested, this,
            &TranscriptBridge::siblingRequested);
    connect(m_channel, &TranscriptChannel::darkThemeChanged, this,
            &TranscriptBridge::darkThemeChanged);
    connect(m_channel, &TranscriptChannel::fontSizeChanged, this,
            &TranscriptBridge::fontSizeChanged);

    m_channel->setDarkTheme(paletteIsDark());
    if (QCoreApplication::instance())
        QCoreApplication::instance()->installEventFilter(this);
}

TranscriptBridge::~TranscriptBridge() = default;

void TranscriptBridge::setModel(QAbstractItemModel *model)
{
    if (m_model == model)
        return;
    for (const auto &c : std::as_const(m_modelConnections))
        disconnect(c);
    m_modelConnections.clear();
    m_model = model;
    connectModel();
    reloadAll();
    Q_EMIT modelChanged();
}

bool TranscriptBridge::darkTheme() const
{
    return m_channel->darkTheme();
}

void TranscriptBridge::setDarkTheme(bool dark)
{
    m_followPalette = false;
    m_channel->setDarkTheme(dark);
}

void TranscriptBridge::resetDarkTheme()
{
    m_followPalette = true;
    m_channel->setDarkTheme(paletteIsDark());
}

int TranscriptBridge::fontSize() const
{
    return m_channel->fontSize();
}

void TranscriptBridge::setFontSize(int px)
{
    m_channel->setFontSize(std::clamp(px, minFontSize, maxFontSize));
}

bool TranscriptBridge::openExternally(const QUrl &url)
{
    const QString scheme = url.scheme().toLower();
    // The same allow-list as the markdown sanitiser: the page should never ask
    // for anything else, but it is content from a model, so check again.
    if (!url.isValid() || (scheme != u"http"_s && scheme != u"https"_s && scheme != u"mailto"_s)) {
        qCWarning(lcTranscript) << "refused to open a link with scheme" << scheme;
        return false;
    }
    return QDesktopServices::openUrl(url);
}

bool TranscriptBridge::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::ApplicationPaletteChange && watched == QCoreApplication::instance()
        && m_followPalette)
        m_channel->setDarkTheme(paletteIsDark());
    return QObject::eventFilter(watched, event);
}

bool TranscriptBridge::paletteIsDark() const
{
    if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance()))
        return false;
    const QPalette palette = QGuiApplication::palette();
    return palette.color(QPalette::Window).lightness()
        < palette.color(QPalette::WindowText).lightness();
}

void TranscriptBridge::connectModel()
{
    if (!m_model)
        return;
    QAbstractItemModel *model = m_model;
    m_modelConnections = {
        connect(model, &QAbstractItemModel::modelReset, this, &TranscriptBridge::reloadAll),
        connect(model, &QAbstractItemModel::layoutChanged, this, &TranscriptBridge::reloadAll),
        connect(model, &QAbstractItemModel::rowsMoved, this, &TranscriptBridge::reloadAll),
        connect(model, &QAbstractItemModel::rowsInserted, this, &TranscriptBridge::onRowsInserted),
        connect(model, &QAbstractItemModel::rowsRemoved, this, &TranscriptBridge::onRowsRemoved),
        connect(model, &QAbstractItemModel::dataChanged, this, &TranscriptBridge::onDataChanged),
        connect(model, &QObject::destroyed, this, [this] { setModel(nullptr); }),
    };
}

void TranscriptBridge::lookUpRoles()
{
    m_roles = {};
    if (!m_model)
        return;
    const QHash<int, QByteArray> names = m_model->roleNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it) {
        const QByteArray &name = it.value();
        if (name == "messageId")
            m_roles.messageId = it.key();
        else if (name == "role")
            m_roles.role = it.key();
        else if (name == "text")
            m_roles.text = it.key();
        else if (name == "status")
            m_roles.status = it.key();
        else if (name == "errorMessage")
            m_roles.errorMessage = it.key();
        else if (name == "siblingIndex")
            m_roles.siblingIndex = it.key();
        else if (name == "siblingCount")
            m_roles.siblingCount = it.key();
    }
    if (m_roles.messageId < 0 || m_roles.text < 0)
        qCWarning(lcTranscript) << "the transcript model has no messageId or text role";
}

TranscriptMessage TranscriptBridge::messageAt(int row) const
{
    const QModelIndex index = m_model->index(row, 0);
    const auto str = [&](int role) { return role < 0 ? QString() : index.data(role).toString(); };
    TranscriptMessage m;
    m.id = str(m_roles.messageId);
    if (m.id.isEmpty())
        m.id = u"row-%1"_s.arg(row); // the page needs a key; a model should give one
    m.role = str(m_roles.role);
    m.status = str(m_roles.status);
    if (m.status.isEmpty())
        m.status = u"complete"_s;
    m.errorMessage = str(m_roles.errorMessage);
    if (m_roles.siblingIndex >= 0)
        m.siblingIndex = index.data(m_roles.siblingIndex).toInt();
    if (m_roles.siblingCount >= 0)
        m.siblingCount = index.data(m_roles.siblingCount).toInt();
    return m;
}

QList<TranscriptMessage> TranscriptBridge::messagesIn(int first, int last) const
{
    QList<TranscriptMessage> out;
    out.reserve(last - first + 1);
    for (int row = first; row <= last; ++row)
        out.append(messageAt(row));
    return out;
}

void TranscriptBridge::reloadAll()
{
    ScopedNanos timing(m_stats.modelNanos);
    lookUpRoles();
    const int rows = m_model ? m_model->rowCount() : 0;
    m_document->reset(rows > 0 ? messagesIn(0, rows - 1) : QList<TranscriptMessage>());
    schedulePush();
}

void TranscriptBridge::onRowsInserted(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    ScopedNanos timing(m_stats.modelNanos);
    m_document->insert(first, messagesIn(first, last));
    schedulePush();
}

void TranscriptBridge::onRowsRemoved(const QModelIndex &parent, int first, int last)
{
    if (parent.isValid())
        return;
    ScopedNanos timing(m_stats.modelNanos);
    m_document->remove(first, last - first + 1);
    schedulePush();
}

void TranscriptBridge::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                                     const QList<int> &roles)
{
    if (topLeft.parent().isValid())
        return;
    ScopedNanos timing(m_stats.modelNanos);
    const bool textChanged = roles.isEmpty() || roles.contains(m_roles.text);
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row)
        m_document->update(row, messageAt(row), textChanged);
    schedulePush();
}

void TranscriptBridge::onPageReady()
{
    // A (re)loaded page has nothing: send everything.
    m_document->resendAll();
    if (!m_pageReady) {
        m_pageReady = true;
        Q_EMIT pageReadyChanged();
    }
    m_pushTimer.stop();
    flush();
}

void TranscriptBridge::schedulePush()
{
    if (!m_pageReady || m_pushTimer.isActive())
        return;
    // A zero timeout still gathers everything the model does in this pass of
    // the event loop (a burst of inserted rows is one push).
    const qint64 wait = std::max<qint64>(0, pushIntervalMs - m_sinceLastPush.elapsed());
    m_pushTimer.start(int(wait));
}

void TranscriptBridge::flush()
{
    if (!m_pageReady || !m_document->hasPendingUpdates())
        return;
    ScopedNanos timing(m_stats.pushNanos);
    const QJsonArray ops = m_document->takeUpdates([this](int row) {
        return m_model && m_roles.text >= 0 ? m_model->index(row, 0).data(m_roles.text).toString()
                                            : QString();
    });
    m_sinceLastPush.restart();
    ++m_stats.pushes;
    if (!ops.isEmpty())
        Q_EMIT m_channel->updates(ops);
}
