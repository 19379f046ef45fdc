// Qt Quick Test runner for the client's QML components (tests/ui/qml/tst_*.qml).
//
// The components bind to the real singletons of Parlance.Client, so the setup
// builds the real composition root: parlanced and the provider simulator as
// processes (StreamTestServer, echo mode), one ClientServices exposed to the
// test's engine, and a fresh account created through Session the way the
// sign-in page does it. QtKeychain stores the refresh token in the private
// Secret Service of run-with-keyring.sh; the throwaway XDG_CONFIG_HOME there
// also keeps Settings away from the user's own.
//
// quick_test_main gives every QML file its own QQmlEngine, while a singleton
// registered with qmlRegisterSingletonInstance may serve only one engine. So
// CTest runs one file per process (`-input tests/ui/qml/tst_<x>.qml`): each
// file gets its own servers, account and settings, and no file depends on
// another's leftovers.
#include "clientservices.h"
#include "session/session.h"
#include "streamtestserver.h"

#include <QCoreApplication>
#include <QQmlEngine>
#include <QUuid>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest/quicktest.h>
#include <QtWebEngineQuick/qtwebenginequickglobal.h>

#include <memory>

Q_IMPORT_QML_PLUGIN(Parlance_ClientPlugin)
Q_IMPORT_QML_PLUGIN(Parlance_UiPlugin)

using namespace Qt::StringLiterals;

class ComponentTestSetup : public QObject
{
    Q_OBJECT

public:
    ComponentTestSetup()
    {
        // Before the QGuiApplication exists (quick_test_main makes it): ChatPage
        // holds the transcript's WebEngineView.
        QtWebEngineQuick::initialize();
        QCoreApplication::setOrganizationName(u"ParlanceTests"_s);
        QCoreApplication::setApplicationName(u"ParlanceQmlComponents"_s);
    }

public Q_SLOTS:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        if (m_services) {
            // A second file in the same process: the singletons already belong
            // to the first engine and would be null here.
            qFatal("tst_qmlcomponents: run one QML file per process (-input <file>)");
        }
        engine->addImportPath(u"qrc:/qt/qml"_s);
        const bool started = m_server.start();
        if (!started)
            qWarning("test servers did not start: %s", qPrintable(m_server.error));
        m_services = std::make_unique<ClientServices>(started ? m_server.server.baseUrl().toString()
                                                              : QString());
        m_services->exposeTo(*engine);
        // A fresh account, created the way the sign-in page does it. The test
        // cases wait for Session.signedIn in initTestCase, so a failure here
        // fails them rather than hanging the setup.
        if (started) {
            const QString email =
                u"qml-%1@example.com"_s.arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
            m_services->session()->setServerUrl(m_server.server.baseUrl().toString());
            m_services->session()->registerAccount(email,
                                                   QString::fromLatin1(StreamTestServer::Password));
        }
    }

    void cleanupTestCase()
    {
        m_services.reset();
        m_server.stop();
    }

private:
    StreamTestServer m_server;
    std::unique_ptr<ClientServices> m_services;
};

QUICK_TEST_MAIN_WITH_SETUP(parlance_qml_components, ComponentTestSetup)

#include "tst_qmlcomponents.moc"
