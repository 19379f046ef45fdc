#include "clientservices.h"
#include "controllers/conversationscontroller.h"
#include "i18n/languagesettings.h"
#include "session/session.h"
#include "startupprobe.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QUrl>
#include <QtPlugin>
#include <QtQml/qqmlextensionplugin.h>
#include <QtWebEngineQuick/qtwebenginequickglobal.h>

Q_IMPORT_QML_PLUGIN(Parlance_ClientPlugin)
Q_IMPORT_QML_PLUGIN(Parlance_UiPlugin)

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QElapsedTimer sinceMain;
    sinceMain.start();
    // QtWebEngine needs its GL context shared before the application exists.
    QtWebEngineQuick::initialize();
    QGuiApplication app(argc, argv);
    QGuiApplication::setOrganizationName(u"Parlance"_s);
    QGuiApplication::setOrganizationDomain(u"parlance.chat"_s);
    QGuiApplication::setApplicationName(u"Parlance"_s);
    QGuiApplication::setApplicationVersion(QStringLiteral(PARLANCE_VERSION));
    // Matches installer/linux/chat.parlance.Parlance.desktop (window icon on Wayland).
    QGuiApplication::setDesktopFileName(u"chat.parlance.Parlance"_s);
    parlance::client::LanguageSettings::installTranslators(app);

    QCommandLineParser parser;
    parser.setApplicationDescription(u"Parlance, a chat client for large language models"_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOption(
        u"server"_s, u"Server to use on first run, e.g. http://127.0.0.1:8080."_s, u"URL"_s);
    parser.addOption(serverOption);
    parser.process(app);

    if (QQuickStyle::name().isEmpty())
        QQuickStyle::setStyle(u"Basic"_s);

    ClientServices services(parser.value(serverOption));
    QQmlApplicationEngine engine;
    services.exposeTo(engine);
    services.session()->restore();
    engine.addImportPath(u"qrc:/qt/qml"_s);
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app,
        [] { QCoreApplication::exit(1); }, Qt::QueuedConnection);
    engine.load(QUrl(u"qrc:/qt/qml/Parlance/Ui/Main.qml"_s));
    if (StartupProbe::enabled() && !engine.rootObjects().isEmpty()) {
        auto *probe = new StartupProbe(sinceMain, services.conversations()->model(), &app);
        probe->watch(qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst()));
    }
    return QGuiApplication::exec();
}
