import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// Settings: the interface language (the system's, English or Deutsch). The
// choice is applied when the app starts next, which the note says.
ColumnLayout {
    spacing: 4

    RowLayout {
        Label { text: qsTr("Language") }
        ComboBox {
            objectName: "languageBox"
            textRole: "name"
            valueRole: "code"
            model: Language.available
            // Once, when the model is there (indexOfValue is not a binding).
            Component.onCompleted: currentIndex = indexOfValue(Language.language)
            onActivated: Language.language = currentValue
            Accessible.name: qsTr("Language")
        }
    }
    Label {
        objectName: "languageRestartNote"
        visible: Language.restartRequired
        text: qsTr("The new language is used the next time %1 starts.").arg(AppInfo.name)
        opacity: 0.7
        wrapMode: Text.Wrap
        Layout.fillWidth: true
    }
}
