#pragma once

#include "transcriptbridge.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QQuickWindow>
#include <QThread>
#include <QUrl>
#include <QVariant>

#include <memory>

// A window holding one TranscriptView (the real QML component, the real page
// in Chromium) and a way to run JavaScript in the page synchronously. Shared by
// the ui test and the transcript benchmark.
class TranscriptHarness
{
public:
    TranscriptHarness() { m_engine.addImportPath(QStringLiteral("qrc:/qt/qml")); }

    // Creates the window and waits until the page has connected to the bridge.
    bool load(QAbstractItemModel *model, QString *error, int width = 1000, int height = 760)
    {
        QQmlComponent component(&m_engine);
        component.setData(
            QByteArrayLiteral(R"(
import QtQuick
import Parlance.Ui
Window {
    property alias view: transcript
    property int resultSerial: 0
    property var lastResult
    function evalJs(code) {
        transcript.runJavaScript(code, function(result) { lastResult = result; resultSerial += 1; });
    }
    visible: true
    color: "white"
    TranscriptView { id: transcript; anchors.fill: parent }
}
)"),
                              QUrl(QStringLiteral("qrc:/transcriptharness/Harness.qml")));
        m_window.reset(qobject_cast<QQuickWindow *>(component.create()));
        if (!m_window) {
            *error = component.errorString();
            return false;
        }
        m_window->resize(width, height);
        m_view = qvariant_cast<QObject *>(m_window->property("view"));
        m_bridge =
            qobject_cast<TranscriptBridge *>(qvariant_cast<QObject *>(m_view->property("bridge")));
        if (!m_bridge) {
            *error = QStringLiteral("TranscriptView has no bridge");
            return false;
        }
        m_bridge->setModel(model);
        if (!waitUntil([this] { return m_bridge->isPageReady(); }, 30000)) {
            *error =
                QStringLiteral("the transcript page did not connect to its bridge within 30 s");
            return false;
        }
        return true;
    }

    [[nodiscard]] QQuickWindow *window() const { return m_window.get(); }
    [[nodiscard]] QObject *view() const { return m_view; }
    [[nodiscard]] TranscriptBridge *bridge() const { return m_bridge; }

    // Runs `code` in the page and returns its value (objects become
    // QVariantMap, arrays QVariantList); an invalid QVariant on timeout.
    QVariant js(const QString &code, int timeoutMs = 10000)
    {
        const int serial = m_window->property("resultSerial").toInt();
        QMetaObject::invokeMethod(m_window.get(), "evalJs", Q_ARG(QVariant, code));
        if (!waitUntil([&] { return m_window->property("resultSerial").toInt() != serial; },
                       timeoutMs))
            return {};
        return m_window->property("lastResult");
    }

    // Polls a JavaScript condition until it is true.
    bool waitForJs(const QString &condition, int timeoutMs = 20000)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            if (js(condition, int(std::max<qint64>(1, deadline.remainingTime()))).toBool())
                return true;
            spin(20);
        }
        return false;
    }

    // Pushes what the bridge holds and waits until the page has applied
    // everything it received (two animation frames with an empty queue).
    bool settle(int timeoutMs = 20000)
    {
        m_bridge->flush();
        return waitForJs(
            QStringLiteral("window.parlanceTranscript && window.parlanceTranscript.idle()"),
                           timeoutMs)
            && waitForJs(QStringLiteral("window.parlanceTranscript.idle()"), timeoutMs);
    }

    template<typename Predicate> static bool waitUntil(Predicate done, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        while (!done()) {
            if (deadline.hasExpired())
                return false;
            spin(5);
        }
        return true;
    }

    static void spin(int ms)
    {
        QDeadlineTimer until(ms);
        while (!until.hasExpired()) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, int(until.remainingTime()));
            QThread::usleep(200);
        }
    }

private:
    QQmlEngine m_engine;
    std::unique_ptr<QQuickWindow> m_window;
    QObject *m_view = nullptr;
    TranscriptBridge *m_bridge = nullptr;
};
