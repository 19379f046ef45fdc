#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>

class QQuickWindow;
class QAbstractItemModel;

// Measures cold start for bench_startup: with PARLANCE_STARTUP_PROBE=1 the
// app prints one line when the first frame showing the (cached) conversation
// list has been presented, then quits:
//   startup-probe: first_frame_ms=412 rows=200 peak_rss_kib=153000 tree_rss_kib=612000
// first_frame_ms counts from main(); peak_rss is this process's high-water
// mark, tree_rss the resident memory of it and its QtWebEngine helpers now.
class StartupProbe : public QObject
{
    Q_OBJECT

public:
    [[nodiscard]] static bool enabled();

    StartupProbe(const QElapsedTimer &sinceMain, QAbstractItemModel *conversations,
                 QObject *parent = nullptr);
    void watch(QQuickWindow *window);

    // Resident memory in KiB: this process's peak, and the sum over it and
    // every descendant process (from /proc); 0 where /proc is missing.
    [[nodiscard]] static qint64 peakRssKib();
    [[nodiscard]] static qint64 processTreeRssKib();

private:
    void onFrame();

    QElapsedTimer m_sinceMain;
    QPointer<QAbstractItemModel> m_conversations;
    QPointer<QQuickWindow> m_window;
    bool m_done = false;
};
