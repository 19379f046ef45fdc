import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// What the user has used this month and what their quota leaves.
Dialog {
    id: dialog

    function count(n) { return Number(n || 0).toLocaleString(Qt.locale(), "f", 0) }
    function left(n) { return n < 0 ? qsTr("no limit") : count(n) }

    title: qsTr("Usage")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(420, parent ? parent.width - 48 : 420)
    standardButtons: Dialog.Close
    onOpened: Usage.refresh()

    GridLayout {
        anchors.fill: parent
        columns: 2
        columnSpacing: 24
        rowSpacing: 6

        Label { text: qsTr("Messages today") }
        Label { text: dialog.count(Usage.summary.messagesToday); Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Tokens today") }
        Label { text: dialog.count(Usage.summary.tokensToday); Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Tokens left today") }
        Label { text: dialog.left(Usage.summary.tokensRemainingToday); Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Messages this month") }
        Label { text: dialog.count(Usage.summary.messagesThisMonth); Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Tokens this month") }
        Label { text: dialog.count(Usage.summary.tokensThisMonth); Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Tokens left this month") }
        Label { text: dialog.left(Usage.summary.tokensRemainingThisMonth); Layout.alignment: Qt.AlignRight }
        Label { text: qsTr("Cost this month") }
        Label { text: "$" + (Usage.summary.costThisMonth || "0"); Layout.alignment: Qt.AlignRight; font.bold: true }
        Label {
            Layout.columnSpan: 2
            visible: Usage.errorMessage.length > 0
            text: Usage.errorMessage
            color: "#d9534f"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        BusyIndicator {
            Layout.columnSpan: 2
            Layout.alignment: Qt.AlignHCenter
            running: Usage.loading
            visible: running
        }
    }
}
