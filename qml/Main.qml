import QtQuick
import QtQuick.Controls
import Parlance.Client

// The window: the sign-in page until a session exists, then the chat.
ApplicationWindow {
    id: window

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
    palette.dark: Settings.dark ? "#2a2b30" : "#e4e4ea"
    palette.light: Settings.dark ? "#44474e" : "#ffffff"
    palette.brightText: Settings.dark ? "#c8c8d0" : "#4a4a55"
    palette.midlight: Settings.dark ? "#393b41" : "#f0f0f4"


    Loader {
        anchors.fill: parent
        // A saved account shows its cached chats while it is restored or offline.
        sourceComponent: Session.signedIn || Session.offline || Session.restoring ? chatPage : signIn
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
