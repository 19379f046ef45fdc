import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// Conversations grouped as Pinned / Today / Previous 7 days / Older, with the
// title search, the Chats / Archive / Trash switch, folders and tags.
Pane {
    id: sidebar

    signal settingsRequested()
    signal aboutRequested()
    signal usageRequested()

    function focusSearch() { search.forceActiveFocus(); search.selectAll() }

    padding: 8
    background: Rectangle { color: palette.base }

    ColumnLayout {
        anchors.fill: parent
        spacing: 6

        Button {
            text: qsTr("New chat")
            icon.name: "document-new"
            Layout.fillWidth: true
            onClicked: Chat.newChat()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("New chat (Ctrl+N)")
        }
        TextField {
            id: search
            objectName: "searchField"
            placeholderText: qsTr("Search chats (Ctrl+K)")
            text: Conversations.searchText
            Layout.fillWidth: true
            Accessible.name: qsTr("Search conversations")
            onTextEdited: Conversations.searchText = text
            Keys.onEscapePressed: { text = ""; Conversations.searchText = "" }
        }
        TabBar {
            id: views
            Layout.fillWidth: true
            currentIndex: Conversations.view
            onCurrentIndexChanged: Conversations.view = currentIndex
            TabButton { text: qsTr("Chats") }
            TabButton { text: qsTr("Archive") }
            TabButton { text: qsTr("Trash") }
        }
        RowLayout {
            Layout.fillWidth: true
            visible: Conversations.folders.length > 0 || Conversations.tags.length > 0
            ComboBox {
                id: folderFilter
                Layout.fillWidth: true
                visible: Conversations.folders.length > 0
                textRole: "name"
                valueRole: "id"
                model: [{ "id": "", "name": qsTr("All folders") }].concat(Conversations.folders)
                onActivated: Conversations.folderId = currentValue
                Accessible.name: qsTr("Folder")
            }
            ToolButton {
                text: "⋯"
                visible: Conversations.folderId.length > 0 && Conversations.folderId !== "none"
                Accessible.name: qsTr("Folder actions")
                onClicked: folderMenu.popup()
                Menu {
                    id: folderMenu
                    MenuItem {
                        text: qsTr("Rename folder…")
                        onTriggered: { folderDialog.folderId = Conversations.folderId; folderDialog.open() }
                    }
                    MenuItem {
                        text: qsTr("Delete folder (keeps its chats)")
                        onTriggered: Conversations.deleteFolder(Conversations.folderId)
                    }
                }
            }
            ComboBox {
                Layout.fillWidth: true
                visible: Conversations.tags.length > 0
                model: [qsTr("All tags")].concat(Conversations.tags)
                onActivated: (index) => Conversations.tag = index === 0 ? "" : currentText
                Accessible.name: qsTr("Tag")
            }
        }

        ListView {
            id: list
            objectName: "conversationList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Conversations.model
            reuseItems: true
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            section.property: "section"
            section.delegate: Label {
                objectName: "sectionHeader"
                required property string section
                text: section
                visible: Conversations.view === ConversationsController.Chats
                height: visible ? implicitHeight + 12 : 0
                topPadding: 8
                font.pixelSize: 12
                font.bold: true
                opacity: 0.6
            }
            delegate: ConversationDelegate {
                width: list.width
                onRenameRequested: (id, title) => { renameDialog.conversationId = id; renameDialog.conversationTitle = title; renameDialog.open() }
            }
            onAtYEndChanged: if (atYEnd) Conversations.loadMore()

            Label {
                anchors.centerIn: parent
                width: parent.width - 24
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                visible: list.count === 0 && !Conversations.loading
                opacity: 0.6
                text: Conversations.searchText.length > 0 ? qsTr("No chat title matches “%1”.").arg(Conversations.searchText)
                    : Conversations.view === ConversationsController.Trash ? qsTr("The trash is empty. Deleted chats stay here for 30 days.")
                    : Conversations.view === ConversationsController.Archived ? qsTr("No archived chats.")
                    : qsTr("No chats yet. Say hello!")
            }
            BusyIndicator {
                anchors.horizontalCenter: parent.horizontalCenter
                anchors.bottom: parent.bottom
                running: Conversations.loading
                visible: running
            }
        }
        Label {
            text: Conversations.errorMessage
            visible: text.length > 0
            color: "#d9534f"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        RowLayout {
            Layout.fillWidth: true
            Label {
                text: Session.email
                elide: Text.ElideRight
                Layout.fillWidth: true
                opacity: 0.8
            }
            ToolButton {
                text: "⚙"
                Accessible.name: qsTr("Settings")
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Settings (Ctrl+,)")
                onClicked: accountMenu.open()
                Menu {
                    id: accountMenu
                    MenuItem { text: qsTr("Settings…"); onTriggered: sidebar.settingsRequested() }
                    MenuItem { text: qsTr("Usage…"); onTriggered: sidebar.usageRequested() }
                    MenuItem { text: qsTr("New folder…"); onTriggered: { folderDialog.folderId = ""; folderDialog.open() } }
                    MenuItem { text: qsTr("About %1").arg(AppInfo.name); onTriggered: sidebar.aboutRequested() }
                    MenuSeparator {}
                    MenuItem { text: qsTr("Sign out"); onTriggered: Session.signOut() }
                }
            }
        }
    }

    Dialog {
        id: renameDialog
        objectName: "renameDialog"
        property string conversationId
        property alias conversationTitle: renameField.text
        title: qsTr("Rename chat")
        modal: true
        anchors.centerIn: Overlay.overlay
        standardButtons: Dialog.Ok | Dialog.Cancel
        onOpened: { renameField.forceActiveFocus(); renameField.selectAll() }
        onAccepted: Conversations.rename(conversationId, renameField.text)
        TextField {
            id: renameField
            objectName: "renameField"
            width: 320
            Accessible.name: qsTr("Title")
            onAccepted: renameDialog.accept()
        }
    }
    Dialog {
        id: folderDialog
        // Empty: a new folder; otherwise the folder being renamed.
        property string folderId
        title: folderId.length > 0 ? qsTr("Rename folder") : qsTr("New folder")
        modal: true
        anchors.centerIn: Overlay.overlay
        standardButtons: Dialog.Ok | Dialog.Cancel
        onOpened: {
            folderField.text = folderId.length > 0 ? folderFilter.currentText : ""
            folderField.forceActiveFocus()
            folderField.selectAll()
        }
        onAccepted: folderId.length > 0 ? Conversations.renameFolder(folderId, folderField.text)
                                        : Conversations.createFolder(folderField.text)
        TextField {
            id: folderField
            width: 320
            placeholderText: qsTr("Folder name")
            onAccepted: folderDialog.accept()
        }
    }
}
