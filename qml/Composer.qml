import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// Where the user writes. Enter sends, Shift+Enter starts a new line, Up in an
// empty box edits the last question, Esc stops the answer or cancels an edit.
Rectangle {
    id: composer

    property string editingId: ""

    function focusInput() { input.forceActiveFocus() }
    function beginEdit(messageId, text) {
        editingId = messageId
        input.text = text
        input.cursorPosition = input.length
        input.forceActiveFocus()
    }
    function cancelEdit() { editingId = ""; input.text = "" }
    function submit() {
        const text = input.text
        if (text.trim().length === 0)
            return
        if (editingId.length > 0) {
            Chat.edit(editingId, text)
            cancelEdit()
        } else if (Chat.send(text)) {
            input.text = ""
        }
    }

    implicitHeight: Math.min(layout.implicitHeight + 16, 260)
    radius: 12
    color: palette.base
    border.color: input.activeFocus ? palette.highlight : palette.mid

    ColumnLayout {
        id: layout
        anchors.fill: parent
        anchors.margins: 8
        spacing: 4

        RowLayout {
            objectName: "editBanner"
            visible: composer.editingId.length > 0
            Label {
                text: qsTr("Editing your message — the answer will be regenerated")
                opacity: 0.7
                Layout.fillWidth: true
            }
            ToolButton { text: qsTr("Cancel"); onClicked: composer.cancelEdit() }
        }
        RowLayout {
            ScrollView {
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.minimumHeight: 36
                TextArea {
                    id: input
                    objectName: "composerInput"
                    focus: true
                    wrapMode: TextEdit.Wrap
                    placeholderText: qsTr("Message %1").arg(Chat.models.displayName(Chat.model))
                    background: null
                    font.pixelSize: Settings.fontSize
                    Accessible.name: qsTr("Message")
                    Keys.onPressed: (event) => {
                        if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter)
                                && !(event.modifiers & Qt.ShiftModifier)) {
                            event.accepted = true
                            composer.submit()
                        } else if (event.key === Qt.Key_Up && input.length === 0
                                   && composer.editingId.length === 0 && !Chat.streaming) {
                            const id = Chat.lastUserMessageId()
                            if (id.length > 0) {
                                event.accepted = true
                                composer.beginEdit(id, Chat.messageText(id))
                            }
                        } else if (event.key === Qt.Key_Escape && composer.editingId.length > 0) {
                            event.accepted = true
                            composer.cancelEdit()
                        }
                    }
                }
            }
            AccentButton {
                objectName: "sendButton"
                Layout.alignment: Qt.AlignBottom
                text: Chat.streaming ? qsTr("Stop") : qsTr("Send")
                enabled: Chat.streaming || input.text.trim().length > 0
                Accessible.name: Chat.streaming ? qsTr("Stop the answer (Esc)") : qsTr("Send (Enter)")
                ToolTip.visible: hovered
                ToolTip.text: Accessible.name
                onClicked: Chat.streaming ? Chat.stop() : composer.submit()
            }
        }
    }
}
