import QtQuick
import QtQuick.Controls
import Parlance.Client

ApplicationWindow {
    id: window

    property string initialServer

    width: 1100
    height: 720
    visible: true
    title: AppInfo.name

    Label {
        anchors.centerIn: parent
        text: qsTr("%1 %2").arg(AppInfo.name).arg(AppInfo.version)
    }
}
