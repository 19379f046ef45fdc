import QtQuick
import QtWebEngine
import QtWebChannel
import Parlance.Client

// The chat's message pane: the transcript page (resources/transcript/) in a
// WebEngineView, fed by a TranscriptBridge that follows `model`.
// The view never navigates away from the page: links and new-window requests
// go to the system browser through the bridge.
WebEngineView {
    id: view

    // A message model with the roles TranscriptBridge reads (docs/transcript.md).
    property alias model: bridge.model
    property alias darkTheme: bridge.darkTheme
    property alias fontSize: bridge.fontSize
    readonly property alias bridge: bridge
    readonly property bool ready: bridge.pageReady

    // The page asked for the previous (-1) or next (+1) version of a message.
    signal siblingRequested(string messageId, int direction)

    url: "qrc:/transcript/transcript.html"
    backgroundColor: "transparent"
    webChannel: channel

    settings.javascriptCanOpenWindows: false
    settings.javascriptCanAccessClipboard: false
    settings.localContentCanAccessRemoteUrls: false
    settings.localContentCanAccessFileUrls: false
    settings.localStorageEnabled: false
    settings.pluginsEnabled: false
    settings.autoLoadIconsForPage: false
    settings.focusOnNavigationEnabled: false

    TranscriptBridge {
        id: bridge
        onSiblingRequested: (messageId, direction) => view.siblingRequested(messageId, direction)
    }

    WebChannel {
        id: channel
        // Only the channel object: the page must not reach the model.
        Component.onCompleted: registerObject("transcript", bridge.channel)
    }

    onNavigationRequested: request => {
        const url = request.url.toString();
        if (url === "qrc:/transcript/transcript.html" || url === "qrc:///transcript/transcript.html") {
            request.accept();
            return;
        }
        request.reject();
        if (request.navigationType === WebEngineNavigationRequest.LinkClickedNavigation)
            bridge.openExternally(request.url);
    }

    onNewWindowRequested: request => {
        if (request.userInitiated)
            bridge.openExternally(request.requestedUrl);
    }

    // Nothing in the transcript asks for permissions, downloads or a context
    // menu beyond Chromium's own (copy, select all).
    onFeaturePermissionRequested: (securityOrigin, feature) => view.grantFeaturePermission(securityOrigin, feature, false)
}
