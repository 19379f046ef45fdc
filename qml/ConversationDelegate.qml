import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// One conversation in the sidebar; right click (or the ⋯ button) for actions.
ItemDelegate {
    id: row

    required property string conversationId
    required property string title
    required property bool pinned
    required property bool archived
    required property bool deleted
    required property string folderId

    signal renameRequested(string id, string title)

    readonly property string shownTitle: title.length > 0 ? title : qsTr("New chat")

    highlighted: conversationId === Chat.conversationId
    text: (pinned ? "📌 " : "") + shownTitle
    Accessible.name: shownTitle
    onClicked: if (!deleted) Chat.open(conversationId)

    contentItem: RowLayout {
        Label {
            text: row.text
            elide: Text.ElideRight
            Layout.fillWidth: true
            opacity: row.deleted ? 0.6 : 1
        }
        ToolButton {
            text: "⋯"
            visible: row.hovered || row.highlighted
            Accessible.name: qsTr("Actions for %1").arg(row.shownTitle)
            onClicked: menu.popup()
        }
    }

    TapHandler {
        acceptedButtons: Qt.RightButton
        onTapped: menu.popup()
    }

    Menu {
        id: menu
        objectName: "conversationMenu"
        MenuItem {
            visible: !row.deleted
            height: visible ? implicitHeight : 0
            objectName: "renameAction"
            text: qsTr("Rename…")
            onTriggered: row.renameRequested(row.conversationId, row.title)
        }
        MenuItem {
            visible: !row.deleted
            height: visible ? implicitHeight : 0
            objectName: "pinAction"
            text: row.pinned ? qsTr("Unpin") : qsTr("Pin")
            onTriggered: Conversations.setPinned(row.conversationId, !row.pinned)
        }
        MenuItem {
            visible: !row.deleted
            height: visible ? implicitHeight : 0
            text: row.archived ? qsTr("Unarchive") : qsTr("Archive")
            onTriggered: Conversations.setArchived(row.conversationId, !row.archived)
        }
        Menu {
            id: moveMenu
            title: qsTr("Move to folder")
            enabled: !row.deleted
            Instantiator {
                model: [{ "id": "", "name": qsTr("No folder") }].concat(Conversations.folders)
                delegate: MenuItem {
                    required property var modelData
                    text: modelData.name
                    checkable: true
                    checked: modelData.id === row.folderId
                    onTriggered: Conversations.moveToFolder(row.conversationId, modelData.id)
                }
                onObjectAdded: (index, object) => moveMenu.insertItem(index, object)
                onObjectRemoved: (index, object) => moveMenu.removeItem(object)
            }
        }
        MenuSeparator {}
        MenuItem {
            visible: !row.deleted
            height: visible ? implicitHeight : 0
            objectName: "deleteAction"
            text: qsTr("Delete")
            onTriggered: Conversations.remove(row.conversationId)
        }
        MenuItem {
            visible: row.deleted
            height: visible ? implicitHeight : 0
            text: qsTr("Restore")
            onTriggered: Conversations.restore(row.conversationId)
        }
    }
}
