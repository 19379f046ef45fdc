import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// The open chat: header (title, model, system prompt), the transcript, the
// state of the answer (reconnecting, errors), actions on the last turn and
// the composer.
Pane {
    id: pane

    function focusComposer() { composer.focusInput() }

    padding: 0
    background: Rectangle { color: palette.window }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        ToolBar {
            Layout.fillWidth: true
            background: Rectangle { color: palette.window }
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 12
                anchors.rightMargin: 8
                Label {
                    text: Chat.title.length > 0 ? Chat.title : qsTr("New chat")
                    font.bold: true
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                ComboBox {
                    id: modelPicker
                    model: Chat.models
                    textRole: "displayName"
                    valueRole: "modelId"
                    implicitContentWidthPolicy: ComboBox.WidestText
                    currentIndex: Chat.models.indexOf(Chat.model)
                    enabled: !Chat.streaming
                    onActivated: Chat.setModel(currentValue)
                    Accessible.name: qsTr("Model")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Model for this chat")
                }
                ToolButton {
                    text: qsTr("System prompt")
                    enabled: Chat.conversationId.length > 0
                    onClicked: promptDialog.open()
                    Accessible.name: qsTr("Edit the system prompt")
                }
            }
        }

        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true

            // QtWebEngine costs a second to start: the window's first frame
            // goes out without it, and the view starts right after.
            Loader {
                id: transcriptLoader
                anchors.fill: parent
                active: false
                visible: Chat.messages.count > 0
                sourceComponent: TranscriptView {
                    objectName: "transcript"
                    model: Chat.messages
                    darkTheme: Settings.dark
                    fontSize: Settings.fontSize
                    onSiblingRequested: (messageId, direction) => Chat.switchSibling(messageId, direction)
                }
                Connections {
                    target: pane.Window.window
                    enabled: !transcriptLoader.active
                    function onFrameSwapped() { transcriptLoader.active = true }
                }
            }
            Column {
                anchors.centerIn: parent
                spacing: 8
                visible: Chat.messages.count === 0 && !Chat.loading
                Label {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: qsTr("How can I help?")
                    font.pixelSize: 26
                }
                Label {
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: qsTr("Model: %1").arg(Chat.models.displayName(Chat.model))
                    opacity: 0.6
                }
            }
            BusyIndicator {
                anchors.centerIn: parent
                running: Chat.loading && Chat.messages.count === 0
                visible: running
            }
        }

        Label {
            Layout.fillWidth: true
            Layout.leftMargin: 16
            visible: Chat.reconnecting
            text: qsTr("Connection lost — reconnecting…")
            color: "#c98a00"
            Accessible.role: Accessible.AlertMessage
        }
        RowLayout {
            Layout.fillWidth: true
            Layout.leftMargin: 16
            Layout.rightMargin: 16
            visible: Chat.errorMessage.length > 0
            Label {
                text: Chat.errorMessage
                color: "#d9534f"
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Accessible.role: Accessible.AlertMessage
            }
            Button {
                text: qsTr("Dismiss")
                flat: true
                onClicked: Chat.clearError()
            }
        }

        LastTurnBar {
            Layout.fillWidth: true
            Layout.leftMargin: 12
            Layout.rightMargin: 12
            onEditRequested: (id, text) => composer.beginEdit(id, text)
        }

        Composer {
            id: composer
            Layout.fillWidth: true
            Layout.margins: 12
        }
    }

    Dialog {
        id: promptDialog
        title: qsTr("System prompt")
        modal: true
        anchors.centerIn: Overlay.overlay
        width: Math.min(560, pane.width - 48)
        standardButtons: Dialog.Save | Dialog.Cancel
        onOpened: { promptField.text = Chat.systemPrompt; promptField.forceActiveFocus() }
        onAccepted: Chat.setSystemPrompt(promptField.text)
        ColumnLayout {
            anchors.fill: parent
            Label {
                text: qsTr("Instructions the model follows throughout this chat.")
                wrapMode: Text.Wrap
                opacity: 0.7
                Layout.fillWidth: true
            }
            ScrollView {
                Layout.fillWidth: true
                Layout.preferredHeight: 200
                TextArea {
                    id: promptField
                    wrapMode: TextEdit.Wrap
                    placeholderText: qsTr("e.g. Answer briefly, in British English.")
                    Accessible.name: qsTr("System prompt")
                }
            }
        }
    }
}
