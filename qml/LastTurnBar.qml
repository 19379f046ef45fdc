import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// Actions on the newest turn: copy, regenerate or retry the answer, step
// through its siblings ("< 2/3 >"), edit the question, and the answer's
// status when it did not complete.
RowLayout {
    id: bar

    signal editRequested(string messageId, string text)

    readonly property int lastRow: Chat.messages.count - 1
    property string answerId: ""
    property string status: ""
    property string errorText: ""
    property int siblingIndex: 0
    property int siblingCount: 1

    function refresh() {
        const model = Chat.messages
        if (lastRow < 0) { answerId = ""; return }
        const idx = model.index(lastRow, 0)
        const role = model.data(idx, MessageListModel.RoleRole)
        answerId = role === "assistant" ? model.data(idx, MessageListModel.IdRole) : ""
        status = model.data(idx, MessageListModel.StatusRole) || ""
        errorText = model.data(idx, MessageListModel.ErrorMessageRole) || ""
        siblingIndex = model.data(idx, MessageListModel.SiblingIndexRole) || 0
        siblingCount = model.data(idx, MessageListModel.SiblingCountRole) || 1
    }

    visible: answerId.length > 0 && !Chat.streaming
    spacing: 4
    onLastRowChanged: refresh()
    Component.onCompleted: refresh()

    Connections {
        target: Chat.messages
        function onDataChanged() { bar.refresh() }
        function onModelReset() { bar.refresh() }
    }

    Label {
        visible: bar.status === "stopped" || bar.status === "interrupted" || bar.status === "error"
        text: bar.status === "stopped" ? qsTr("Stopped")
            : bar.status === "interrupted" ? qsTr("Interrupted: %1").arg(bar.errorText)
            : qsTr("Error: %1").arg(bar.errorText)
        color: bar.status === "stopped" ? palette.text : "#d9534f"
        elide: Text.ElideRight
        Layout.maximumWidth: 420
    }
    ToolButton {
        text: "‹"
        visible: bar.siblingCount > 1
        enabled: bar.siblingIndex > 0
        Accessible.name: qsTr("Previous answer")
        onClicked: Chat.switchSibling(bar.answerId, -1)
    }
    Label {
        visible: bar.siblingCount > 1
        text: qsTr("%1/%2").arg(bar.siblingIndex + 1).arg(bar.siblingCount)
    }
    ToolButton {
        text: "›"
        visible: bar.siblingCount > 1
        enabled: bar.siblingIndex + 1 < bar.siblingCount
        Accessible.name: qsTr("Next answer")
        onClicked: Chat.switchSibling(bar.answerId, 1)
    }
    Item { Layout.fillWidth: true }
    ToolButton {
        text: qsTr("Copy")
        Accessible.name: qsTr("Copy the answer")
        onClicked: Chat.copyMessage(bar.answerId)
    }
    ToolButton {
        text: bar.status === "complete" || bar.status === "stopped" ? qsTr("Regenerate") : qsTr("Retry")
        Accessible.name: text
        onClicked: Chat.regenerate(bar.answerId)
    }
    ToolButton {
        text: qsTr("Edit question")
        enabled: Chat.lastUserMessageId().length > 0
        onClicked: {
            const id = Chat.lastUserMessageId()
            bar.editRequested(id, Chat.messageText(id))
        }
    }
}
