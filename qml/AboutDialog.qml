import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

Dialog {
    title: qsTr("About %1").arg(AppInfo.name)
    modal: true
    anchors.centerIn: Overlay.overlay
    standardButtons: Dialog.Close

    ColumnLayout {
        spacing: 8
        Label { text: qsTr("%1 %2").arg(AppInfo.name).arg(AppInfo.version); font.bold: true; font.pixelSize: 18 }
        Label { text: qsTr("An open chat client for large language models.") }
        Label { text: qsTr("Built with Qt %1, cmark-gfm, KaTeX and highlight.js.").arg(AppInfo.qtVersion); opacity: 0.7 }
        Label { text: qsTr("Server: %1").arg(Session.serverUrl); opacity: 0.7 }
    }
}
