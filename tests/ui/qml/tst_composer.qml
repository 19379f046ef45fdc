import QtQuick
import QtTest
import Parlance.Client
import Parlance.Ui

// The composer against the real Chat singleton (parlanced + the simulator in
// echo mode, see tst_qmlcomponents.cpp): keys typed into its text area, the
// button clicked with the mouse.
Item {
    id: root
    width: 800
    height: 300

    Component {
        id: composerComponent
        Composer {
            x: 10
            y: 10
            width: root.width - 20
        }
    }

    SignalSpy {
        id: finished
        target: Chat
        signalName: "answerFinished"
    }

    TestCase {
        name: "Composer"
        when: windowShown

        property Item composer
        property Item input
        property Item button

        function typeText(text) {
            for (const c of text)
                keyClick(c)
        }

        // Sends through the composer and waits for the (echoed) answer.
        function ask(question) {
            const before = finished.count
            typeText(question)
            keyClick(Qt.Key_Return)
            tryCompare(finished, "count", before + 1, 30000, "the answer finished")
            compare(finished.signalArguments[before][1], "complete")
        }

        function initTestCase() {
            tryCompare(Session, "signedIn", true, 20000, "the setup's account signed in")
        }

        function init() {
            Chat.newChat()
            finished.clear()
            composer = createTemporaryObject(composerComponent, root)
            verify(composer)
            input = findChild(composer, "composerInput")
            button = findChild(composer, "sendButton")
            verify(input)
            verify(button)
            input.forceActiveFocus()
            tryVerify(() => input.activeFocus)
        }

        function test_enterSends() {
            typeText("hello composer")
            compare(input.text, "hello composer")
            keyClick(Qt.Key_Return)
            compare(input.text, "", "the box empties when the message is sent")
            tryCompare(finished, "count", 1, 30000)
            compare(finished.signalArguments[0][1], "complete")
            compare(Chat.messages.rowCount(), 2)
            compare(Chat.messageText(Chat.lastUserMessageId()), "hello composer")
            compare(Chat.title, "hello composer")
        }

        function test_shiftEnterInsertsANewline() {
            typeText("line one")
            keyClick(Qt.Key_Return, Qt.ShiftModifier)
            typeText("line two")
            compare(input.text, "line one\nline two")
            // Nothing was sent: the chat was not even created.
            compare(Chat.conversationId, "")
            compare(Chat.messages.rowCount(), 0)
            verify(!Chat.streaming)
            compare(finished.count, 0)
        }

        function test_upInAnEmptyBoxEditsTheLastQuestionAndEscCancels() {
            ask("first question")
            ask("second question")
            const banner = findChild(composer, "editBanner")
            verify(banner)
            verify(!banner.visible)

            compare(input.text, "")
            keyClick(Qt.Key_Up)
            compare(composer.editingId, Chat.lastUserMessageId())
            verify(composer.editingId.length > 0)
            compare(input.text, "second question")
            verify(banner.visible)

            keyClick(Qt.Key_Escape)
            compare(composer.editingId, "")
            compare(input.text, "")
            verify(!banner.visible)
            compare(Chat.messages.rowCount(), 4, "cancelling sent nothing")
        }

        function test_upInABoxWithTextDoesNotEdit() {
            ask("a question")
            typeText("draft")
            keyClick(Qt.Key_Up)
            compare(composer.editingId, "")
            compare(input.text, "draft")
        }

        function test_enterWhileEditingResendsTheEditedQuestion() {
            ask("what is two plus two")
            const edited = Chat.lastUserMessageId()
            keyClick(Qt.Key_Up)
            compare(composer.editingId, edited)
            // The whole question is in the box; replace its last word.
            for (let i = 0; i < "two".length; ++i)
                keyClick(Qt.Key_Backspace)
            typeText("three")
            keyClick(Qt.Key_Return)
            compare(composer.editingId, "")
            tryCompare(finished, "count", 2, 30000)
            compare(finished.signalArguments[1][1], "complete")
            // A sibling of the question replaced it in the branch shown.
            compare(Chat.messages.rowCount(), 2)
            verify(Chat.lastUserMessageId() !== edited)
            compare(Chat.messageText(Chat.lastUserMessageId()), "what is two plus three")
        }

        function test_theButtonTurnsIntoStopWhileStreaming() {
            compare(button.text, "Send")
            verify(!button.enabled, "nothing to send yet")
            // A long, paced answer: it is still streaming when Stop is pressed.
            typeText("[[sim: mode=lorem tokens=2000 tps=5]] go")
            verify(button.enabled)
            mouseClick(button)
            tryCompare(Chat, "streaming", true, 20000)
            compare(button.text, "Stop")
            verify(button.enabled)
            mouseClick(button)
            tryCompare(finished, "count", 1, 20000)
            compare(finished.signalArguments[0][1], "stopped")
            verify(!Chat.streaming)
            compare(button.text, "Send")
        }
    }
}
