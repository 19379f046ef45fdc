import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Parlance.Client

// First run and after sign-out: the server, then sign in or create an account.
Page {
    id: page

    property bool creating: false

    function submit() {
        Session.serverUrl = serverField.text.trim()
        if (page.creating)
            Session.registerAccount(emailField.text.trim(), passwordField.text)
        else
            Session.signIn(emailField.text.trim(), passwordField.text)
    }

    background: Rectangle { color: palette.window }

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(380, page.width - 48)
        spacing: 12

        Label {
            text: AppInfo.name
            font.pixelSize: 30
            font.bold: true
            Layout.alignment: Qt.AlignHCenter
        }
        Label {
            text: page.creating ? qsTr("Create your account") : qsTr("Sign in to continue")
            opacity: 0.7
            Layout.alignment: Qt.AlignHCenter
            Layout.bottomMargin: 12
        }
        Label { text: qsTr("Server") }
        TextField {
            id: serverField
            objectName: "serverField"
            text: Session.serverUrl
            placeholderText: "http://127.0.0.1:8080"
            inputMethodHints: Qt.ImhUrlCharactersOnly
            Layout.fillWidth: true
            Accessible.name: qsTr("Server address")
        }
        Label { text: qsTr("Email") }
        TextField {
            id: emailField
            objectName: "emailField"
            focus: true
            placeholderText: qsTr("you@example.com")
            inputMethodHints: Qt.ImhEmailCharactersOnly | Qt.ImhNoAutoUppercase
            Layout.fillWidth: true
            Accessible.name: qsTr("Email")
            onAccepted: passwordField.forceActiveFocus()
        }
        Label { text: qsTr("Password") }
        TextField {
            id: passwordField
            objectName: "passwordField"
            echoMode: TextInput.Password
            placeholderText: page.creating ? qsTr("At least 8 characters") : ""
            Layout.fillWidth: true
            Accessible.name: qsTr("Password")
            onAccepted: page.submit()
        }
        Label {
            id: errorLabel
            text: Session.errorMessage
            visible: text.length > 0
            color: "#d9534f"
            wrapMode: Text.Wrap
            Layout.fillWidth: true
            Accessible.role: Accessible.AlertMessage
        }
        AccentButton {
            objectName: "submitButton"
            text: page.creating ? qsTr("Create account") : qsTr("Sign in")
            enabled: !Session.busy && emailField.text.length > 0 && passwordField.text.length > 0
            Layout.fillWidth: true
            onClicked: page.submit()
        }
        BusyIndicator {
            running: Session.busy
            visible: running
            Layout.alignment: Qt.AlignHCenter
        }
        Button {
            objectName: "modeToggle"
            flat: true
            text: page.creating ? qsTr("I already have an account") : qsTr("Create an account")
            Layout.alignment: Qt.AlignHCenter
            onClicked: page.creating = !page.creating
        }
    }
}
