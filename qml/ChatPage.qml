import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// Signed in: the sidebar of conversations beside the open chat, the global
// keyboard shortcuts, and the notices (undo delete, copied).
Page {
    id: page

    function notify(text, undoable) {
        notice.text = text
        notice.undoable = undoable
        notice.open()
    }

    background: Rectangle { color: palette.window }

    header: Label {
        visible: Session.offline
        height: visible ? implicitHeight : 0
        padding: 6
        horizontalAlignment: Text.AlignHCenter
        text: qsTr("Offline — showing saved chats. Reconnecting to %1…").arg(Session.serverUrl)
        background: Rectangle { color: "#c98a00" }
        color: "white"
        Accessible.role: Accessible.AlertMessage
    }

    SplitView {
        anchors.fill: parent

        Sidebar {
            id: sidebar
            objectName: "sidebar"
            SplitView.preferredWidth: 280
            SplitView.minimumWidth: 200
            SplitView.maximumWidth: 420
            onSettingsRequested: settingsDialog.open()
            onAboutRequested: aboutDialog.open()
            onUsageRequested: usageDialog.open()
        }
        ChatPane {
            id: chatPane
            SplitView.fillWidth: true
        }
    }

    Connections {
        target: Conversations
        function onDeleted(id, title) {
            page.notify(title.length > 0 ? qsTr("“%1” moved to the trash").arg(title)
                                         : qsTr("Chat moved to the trash"), true)
        }
        function onRemoved(id) {
            if (id === Chat.conversationId)
                Chat.newChat()
        }
    }
    Connections {
        target: Chat
        function onConversationUpdated(conversation) { Conversations.upsert(conversation) }
    }

    Shortcut {
        sequence: "Ctrl+N"
        onActivated: { Chat.newChat(); chatPane.focusComposer() }
    }
    Shortcut {
        sequence: "Ctrl+K"
        onActivated: sidebar.focusSearch()
    }
    Shortcut {
        sequence: "Esc"
        enabled: Chat.streaming
        onActivated: Chat.stop()
    }
    Shortcut {
        sequence: "Ctrl+Shift+C"
        onActivated: page.notify(Chat.copyLastCodeBlock() ? qsTr("Code copied")
                                                          : qsTr("No code block to copy"), false)
    }
    Shortcut {
        sequences: [StandardKey.ZoomIn, "Ctrl+="]
        onActivated: Settings.increaseFontSize()
    }
    Shortcut {
        sequence: StandardKey.ZoomOut
        onActivated: Settings.decreaseFontSize()
    }
    Shortcut {
        sequence: "Ctrl+0"
        onActivated: Settings.resetFontSize()
    }
    Shortcut {
        sequence: "Ctrl+,"
        onActivated: settingsDialog.open()
    }

    SettingsDialog { id: settingsDialog }
    AboutDialog { id: aboutDialog }
    UsageDialog { id: usageDialog }

    Popup {
        id: notice
        objectName: "undoNotice"

        property alias text: noticeLabel.text
        property bool undoable: false

        x: (page.width - width) / 2
        y: page.height - height - 96
        padding: 10
        closePolicy: Popup.NoAutoClose
        background: Rectangle { radius: 8; color: "#2f2f2f" }
        onOpened: noticeTimer.restart()

        Timer {
            id: noticeTimer
            interval: 6000
            onTriggered: notice.close()
        }
        RowLayout {
            spacing: 12
            Label { id: noticeLabel; color: "white" }
            Button {
                objectName: "undoButton"
                visible: notice.undoable && Conversations.canUndoDelete
                text: qsTr("Undo")
                flat: true
                onClicked: { Conversations.undoDelete(); notice.close() }
            }
        }
    }
}
