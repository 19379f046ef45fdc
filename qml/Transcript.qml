import QtQuick
import QtQuick.Controls
import Parlance.Client

// The messages of the open chat. Placeholder list until the WebEngine
// transcript lands.
ListView {
    id: view

    signal siblingRequested(string messageId, int direction)

    clip: true
    spacing: 12
    ScrollBar.vertical: ScrollBar {}
    onCountChanged: positionViewAtEnd()
    delegate: Label {
        required property string role
        required property string text
        width: view.width - 32
        x: 16
        wrapMode: Text.Wrap
        textFormat: Text.MarkdownText
        font.pixelSize: Settings.fontSize
        color: role === "user" ? palette.highlight : palette.text
    }
}
