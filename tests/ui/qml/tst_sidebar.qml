import QtQuick
import QtTest
import Parlance.Client
import Parlance.Ui

// The sidebar and its rows against the real Conversations singleton: three
// chats made through Chat (parlanced + the simulator, tst_qmlcomponents.cpp),
// then sections, the title search, the rename dialog, and delete with the
// undo notice of the chat page.
Item {
    id: root
    width: 1100
    height: 700

    Component {
        id: sidebarComponent
        Sidebar {
            width: 320
            height: root.height
        }
    }
    Component {
        id: pageComponent
        ChatPage {
            width: root.width
            height: root.height
        }
    }

    SignalSpy {
        id: finished
        target: Chat
        signalName: "answerFinished"
    }

    TestCase {
        name: "Sidebar"
        when: windowShown

        readonly property var chats: ["Alpha notes", "Beta plans", "Gamma rays"]

        function typeText(text) {
            for (const c of text)
                keyClick(c)
        }

        function listOf(view) {
            const list = findChild(view, "conversationList")
            verify(list, "the sidebar has its list")
            return list
        }

        // The rows the list shows, top to bottom.
        function rows(view) {
            const list = listOf(view)
            const out = []
            for (let i = 0; i < list.count; ++i) {
                const item = list.itemAtIndex(i)
                if (item)
                    out.push(item)
            }
            return out.sort((a, b) => a.y - b.y)
        }
        function titles(view) {
            return rows(view).map(row => row.title)
        }
        function rowTitled(view, title) {
            return rows(view).find(row => row.title === title) || null
        }
        // The section headers shown, top to bottom.
        function sections(view) {
            const content = listOf(view).contentItem
            const out = []
            for (let i = 0; i < content.children.length; ++i) {
                const child = content.children[i]
                if (child.objectName === "sectionHeader" && child.visible && child.height > 0)
                    out.push(child)
            }
            return out.sort((a, b) => a.y - b.y).map(header => header.text)
        }
        function same(a, b) {
            return JSON.stringify(a) === JSON.stringify(b)
        }

        // Right click on a row, then a click on one of its menu's actions.
        function chooseAction(row, actionName) {
            const menu = findChild(row, "conversationMenu")
            verify(menu)
            // A pin or an answer moves rows between sections; right-click only
            // once the list has laid them out, or the click lands where the
            // row was and the menu opens away from its items.
            waitForItemPolished(row.ListView.view)
            waitForRendering(row)
            mouseClick(row, row.width / 2, row.height / 2, Qt.RightButton)
            tryCompare(menu, "opened", true)
            // The menu sizes itself to its items in the next polish, which may
            // move it to fit the window: click where the item is then.
            waitForRendering(menu.contentItem)
            const action = findChild(row, actionName)
            verify(action, actionName)
            verify(action.visible)
            mouseClick(action)
            // Closed, or gone with its row: a pin moves the row to another
            // section, and when the server answers before the menu's exit
            // transition ends, the delegate (and its menu) is destroyed first.
            tryVerify(() => !menu.visible, 5000, "the menu closed")
        }

        function initTestCase() {
            tryCompare(Session, "signedIn", true, 20000, "the setup's account signed in")
            // Three chats, made as the composer makes them; the echoed answer
            // ends each. The title is the first message.
            for (let i = 0; i < chats.length; ++i) {
                Chat.newChat()
                verify(Chat.send(chats[i]))
                tryCompare(finished, "count", i + 1, 30000)
            }
            Chat.newChat()
            tryVerify(() => Conversations.model.rowCount() === chats.length, 10000)
        }

        function cleanup() {
            Conversations.searchText = ""
        }

        function test_1_sectionsGroupPinnedAboveToday() {
            const sidebar = createTemporaryObject(sidebarComponent, root)
            tryVerify(() => same(titles(sidebar).slice().sort(), chats))
            tryVerify(() => same(sections(sidebar), ["Today"]), 5000, "only today's chats")

            chooseAction(rowTitled(sidebar, "Beta plans"), "pinAction")
            tryVerify(() => same(sections(sidebar), ["Pinned", "Today"]), 10000,
                      "pinned above today")
            compare(titles(sidebar)[0], "Beta plans")

            chooseAction(rowTitled(sidebar, "Beta plans"), "pinAction") // now "Unpin"
            tryVerify(() => same(sections(sidebar), ["Today"]), 10000, "unpinned")
        }

        function test_2_searchFiltersByTitle() {
            const sidebar = createTemporaryObject(sidebarComponent, root)
            tryVerify(() => titles(sidebar).length === chats.length)
            const search = findChild(sidebar, "searchField")
            verify(search)
            mouseClick(search)
            tryVerify(() => search.activeFocus)
            typeText("gam") // case does not matter
            compare(Conversations.searchText, "gam")
            tryVerify(() => same(titles(sidebar), ["Gamma rays"]))

            typeText("x")
            tryCompare(listOf(sidebar), "count", 0)

            keyClick(Qt.Key_Escape) // clears the search
            compare(search.text, "")
            tryVerify(() => same(titles(sidebar).slice().sort(), chats))
        }

        function test_3_renameDialogRenames() {
            const sidebar = createTemporaryObject(sidebarComponent, root)
            tryVerify(() => rowTitled(sidebar, "Gamma rays") !== null)
            chooseAction(rowTitled(sidebar, "Gamma rays"), "renameAction")

            const dialog = findChild(sidebar, "renameDialog")
            const field = findChild(sidebar, "renameField")
            verify(dialog)
            verify(field)
            tryCompare(dialog, "opened", true)
            compare(field.text, "Gamma rays")
            tryVerify(() => field.activeFocus)
            typeText("Delta waves") // the old title is selected: typing replaces it
            keyClick(Qt.Key_Return)
            tryCompare(dialog, "visible", false)
            tryVerify(() => rowTitled(sidebar, "Delta waves") !== null, 10000)
            verify(rowTitled(sidebar, "Gamma rays") === null)

            // The server kept it: a fresh list from the server has the new title.
            Conversations.reload()
            verify(Conversations.loading)
            tryCompare(Conversations, "loading", false, 10000)
            tryVerify(() => same(titles(sidebar).slice().sort(),
                                 ["Alpha notes", "Beta plans", "Delta waves"]))
        }

        function test_4_deleteShowsTheUndoNoticeAndUndoRestores() {
            const page = createTemporaryObject(pageComponent, root)
            verify(page)
            const sidebar = findChild(page, "sidebar")
            const notice = findChild(page, "undoNotice")
            const undo = findChild(page, "undoButton")
            verify(sidebar)
            verify(notice)
            verify(undo)
            tryVerify(() => rowTitled(sidebar, "Alpha notes") !== null)
            verify(!notice.visible)

            chooseAction(rowTitled(sidebar, "Alpha notes"), "deleteAction")
            tryCompare(notice, "opened", true, 10000)
            verify(notice.text.indexOf("Alpha notes") >= 0, notice.text)
            tryVerify(() => rowTitled(sidebar, "Alpha notes") === null)
            verify(Conversations.canUndoDelete)
            tryVerify(() => undo.visible)

            mouseClick(undo)
            tryCompare(notice, "visible", false)
            tryVerify(() => rowTitled(sidebar, "Alpha notes") !== null, 10000)

            // Restored on the server too: the trash is empty again.
            Conversations.view = ConversationsController.Trash
            verify(Conversations.loading)
            tryCompare(Conversations, "loading", false, 10000)
            tryCompare(listOf(sidebar), "count", 0)
            Conversations.view = ConversationsController.Chats
            tryCompare(Conversations, "loading", false, 10000)
            tryVerify(() => rowTitled(sidebar, "Alpha notes") !== null, 10000)
        }
    }
}
