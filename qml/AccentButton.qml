import QtQuick
import QtQuick.Controls

// The one prominent action of a view (Send, Sign in): filled with the accent
// colour, greyed out when disabled.
Button {
    id: control

    contentItem: Text {
        text: control.text
        font: control.font
        color: control.enabled ? "white" : control.palette.placeholderText
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
    background: Rectangle {
        implicitWidth: 80
        implicitHeight: 36
        radius: 8
        color: !control.enabled ? control.palette.mid
             : control.down ? Qt.darker(control.palette.highlight, 1.2)
             : control.hovered ? Qt.lighter(control.palette.highlight, 1.1)
             : control.palette.highlight
    }
}
