import QtQuick
import QtQuick.Controls
import Parlance.Client

// The window: the sign-in page until a session exists, then the chat.
ApplicationWindow {
    id: window

    property string initialServer

    width: 1180
    height: 760
    minimumWidth: 640
    minimumHeight: 420
    visible: true
    title: Chat.title.length > 0 ? qsTr("%1 — %2").arg(Chat.title).arg(AppInfo.name) : AppInfo.name

    palette.window: Settings.dark ? "#1e1f22" : "#ffffff"
    palette.windowText: Settings.dark ? "#e6e6e6" : "#1f1f1f"
    palette.base: Settings.dark ? "#2b2d31" : "#f7f7f8"
    palette.text: Settings.dark ? "#e6e6e6" : "#1f1f1f"
    palette.button: Settings.dark ? "#34363c" : "#ececf1"
    palette.buttonText: Settings.dark ? "#e6e6e6" : "#1f1f1f"
    palette.highlight: "#10a37f"
    palette.highlightedText: "#ffffff"
    palette.placeholderText: Settings.dark ? "#8e8ea0" : "#8e8ea0"
    palette.mid: Settings.dark ? "#3c3f45" : "#d9d9e3"


    Loader {
        anchors.fill: parent
        sourceComponent: Session.signedIn ? chatPage : (Session.restoring ? splash : signIn)
    }

    Component {
        id: splash
        Item {
            BusyIndicator {
                anchors.centerIn: parent
                running: true
                Accessible.name: qsTr("Signing in")
            }
        }
    }
    Component {
        id: signIn
        SignInPage {}
    }
    Component {
        id: chatPage
        ChatPage {}
    }
}
