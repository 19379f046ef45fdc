import QtQuick
import QtTest
import Parlance.Client
import Parlance.Ui

// The settings dialog changes the real Settings singleton: theme through the
// combo box's popup (mouse), text size through the spin box (keys and its
// up/down buttons). Settings are saved in the throwaway XDG_CONFIG_HOME of
// run-with-keyring.sh.
Item {
    id: root
    // Tall enough for the whole dialog: every control is clicked where it is.
    width: 900
    height: 1000

    Component {
        id: dialogComponent
        SettingsDialog {}
    }

    TestCase {
        name: "SettingsDialog"
        when: windowShown

        property var dialog

        function initTestCase() {
            tryCompare(Session, "signedIn", true, 20000, "the setup's account signed in")
        }

        function init() {
            Settings.theme = AppSettings.System
            Settings.resetFontSize()
            dialog = createTemporaryObject(dialogComponent, root)
            verify(dialog)
            dialog.open()
            tryCompare(dialog, "opened", true)
        }

        // The entries of the theme box, in order: System, Light, Dark.
        function test_themeChangesSettings_data() {
            return [
                { tag: "dark", index: 2, theme: AppSettings.Dark, dark: true },
                { tag: "light", index: 1, theme: AppSettings.Light, dark: false },
            ]
        }
        function test_themeChangesSettings(data) {
            const box = findChild(dialog.contentItem, "themeBox")
            verify(box)
            compare(box.currentIndex, 0)
            mouseClick(box)
            tryCompare(box.popup, "opened", true)
            const entry = box.popup.contentItem.itemAtIndex(data.index)
            verify(entry)
            mouseClick(entry)
            tryCompare(box.popup, "visible", false)
            compare(Settings.theme, data.theme)
            compare(Settings.dark, data.dark)
            compare(box.currentIndex, data.index)
        }

        function test_textSizeChangesSettings() {
            const box = findChild(dialog.contentItem, "fontSizeBox")
            verify(box)
            const start = Settings.fontSize
            compare(box.value, start)

            box.forceActiveFocus()
            tryVerify(() => box.activeFocus)
            keyClick(Qt.Key_Up)
            keyClick(Qt.Key_Up)
            compare(Settings.fontSize, start + 2)

            // The spin box's own "-" button.
            const down = box.down.indicator
            mouseClick(down)
            compare(Settings.fontSize, start + 1)
            compare(box.value, start + 1)
        }

        function test_languageIsSavedForTheNextStart() {
            const box = findChild(dialog.contentItem, "languageBox")
            const note = findChild(dialog.contentItem, "languageRestartNote")
            verify(box)
            verify(note)
            compare(Language.language, "", "the system's language by default")
            compare(box.currentText, "System language")
            verify(!note.visible)

            mouseClick(box)
            tryCompare(box.popup, "opened", true)
            const deutsch = box.popup.contentItem.itemAtIndex(box.indexOfValue("de"))
            verify(deutsch)
            compare(deutsch.text, "Deutsch")
            mouseClick(deutsch)
            tryCompare(box.popup, "visible", false)
            compare(Language.language, "de")
            verify(note.visible, "the change applies at the next start, and the dialog says so")

            // Back to the system's language: nothing left to apply.
            mouseClick(box)
            tryCompare(box.popup, "opened", true)
            mouseClick(box.popup.contentItem.itemAtIndex(0))
            tryCompare(box.popup, "visible", false)
            compare(Language.language, "")
            verify(!note.visible)
        }

        function test_textSizeStopsAtTheMaximum() {
            const box = findChild(dialog.contentItem, "fontSizeBox")
            verify(box)
            box.forceActiveFocus()
            tryVerify(() => box.activeFocus)
            for (let i = 0; i < 40; ++i)
                keyClick(Qt.Key_Up)
            compare(Settings.fontSize, Settings.maximumFontSize)
            compare(box.value, Settings.maximumFontSize)
        }
    }
}
