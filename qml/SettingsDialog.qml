import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// Server, account, appearance and the keyboard shortcuts.
Dialog {
    id: dialog

    title: qsTr("Settings")
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(560, parent ? parent.width - 48 : 560)
    standardButtons: Dialog.Close

    ColumnLayout {
        anchors.fill: parent
        spacing: 10

        Label { text: qsTr("Account"); font.bold: true }
        Label {
            text: qsTr("Signed in as %1 on %2").arg(Session.email).arg(Session.serverUrl)
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Button {
            text: qsTr("Sign out")
            onClicked: { dialog.close(); Session.signOut() }
        }

        Label { text: qsTr("Appearance"); font.bold: true; Layout.topMargin: 8 }
        RowLayout {
            Label { text: qsTr("Theme") }
            ComboBox {
                objectName: "themeBox"
                model: [qsTr("Follow the system"), qsTr("Light"), qsTr("Dark")]
                currentIndex: Settings.theme
                onActivated: (index) => Settings.theme = index
                Accessible.name: qsTr("Theme")
            }
        }
        RowLayout {
            Label { text: qsTr("Text size") }
            SpinBox {
                objectName: "fontSizeBox"
                from: Settings.minimumFontSize
                to: Settings.maximumFontSize
                value: Settings.fontSize
                onValueModified: Settings.fontSize = value
                Accessible.name: qsTr("Text size")
            }
        }

        LanguagePicker { Layout.fillWidth: true }

        Label { text: qsTr("Keyboard shortcuts"); font.bold: true; Layout.topMargin: 8 }
        Repeater {
            model: [
                ["Enter", qsTr("Send")],
                ["Shift+Enter", qsTr("New line")],
                ["Ctrl+N", qsTr("New chat")],
                ["Ctrl+K", qsTr("Search chats")],
                ["Esc", qsTr("Stop the answer")],
                ["Ctrl+Shift+C", qsTr("Copy the last code block")],
                ["Up", qsTr("Edit your last message")],
                ["Ctrl++ / Ctrl+-", qsTr("Larger / smaller text")],
                ["Ctrl+,", qsTr("Settings")]
            ]
            delegate: RowLayout {
                required property var modelData
                Label {
                    text: modelData[0]
                    font.family: "monospace"
                    Layout.preferredWidth: 150
                }
                Label { text: modelData[1] }
            }
        }
    }
}
