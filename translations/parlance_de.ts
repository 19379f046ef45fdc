<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../qml/AboutDialog.qml" line="+7"/>
        <source>About %1</source>
        <translation>Über %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>An open chat client for large language models.</source>
        <translation>Ein offener Chat-Client für große Sprachmodelle.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Built with Qt %1, cmark-gfm, KaTeX and highlight.js.</source>
        <translation>Erstellt mit Qt %1, cmark-gfm, KaTeX und highlight.js.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server: %1</source>
        <translation>Server: %1</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <location filename="../qml/ChatPage.qml" line="+24"/>
        <source>Offline — showing saved chats. Reconnecting to %1…</source>
        <translation>Offline – gespeicherte Chats werden angezeigt. Verbindung zu %1 wird wiederhergestellt …</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>“%1” moved to the trash</source>
        <translation>„%1“ in den Papierkorb verschoben</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat moved to the trash</source>
        <translation>Chat in den Papierkorb verschoben</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Code copied</source>
        <translation>Code kopiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No code block to copy</source>
        <translation>Kein Codeblock zum Kopieren</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
</context>
<context>
    <name>ChatPane</name>
    <message>
        <location filename="../qml/ChatPane.qml" line="+29"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Model for this chat</source>
        <translation>Modell für diesen Chat</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+97"/>
        <location line="+22"/>
        <source>System prompt</source>
        <translation>Systemanweisung</translation>
    </message>
    <message>
        <location line="-116"/>
        <source>Edit the system prompt</source>
        <translation>Systemanweisung bearbeiten</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>How can I help?</source>
        <translation>Wie kann ich helfen?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Model: %1</source>
        <translation>Modell: %1</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Connection lost — reconnecting…</source>
        <translation>Verbindung unterbrochen – wird wiederhergestellt …</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Dismiss</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Instructions the model follows throughout this chat.</source>
        <translation>Anweisungen, die das Modell in diesem ganzen Chat befolgt.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>e.g. Answer briefly, in British English.</source>
        <translation>z. B. Antworte kurz und auf Deutsch.</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../qml/Composer.qml" line="+48"/>
        <source>Editing your message — the answer will be regenerated</source>
        <translation>Du bearbeitest deine Nachricht – die Antwort wird neu erzeugt</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Message %1</source>
        <translation>Nachricht an %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Stop</source>
        <translation>Stopp</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop the answer (Esc)</source>
        <translation>Antwort anhalten (Esc)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Send (Enter)</source>
        <translation>Senden (Eingabe)</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../qml/ConversationDelegate.qml" line="+19"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Actions for %1</source>
        <translation>Aktionen für %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Rename…</source>
        <translation>Umbenennen …</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Unpin</source>
        <translation>Nicht mehr anheften</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pin</source>
        <translation>Anheften</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Unarchive</source>
        <translation>Aus dem Archiv holen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Archive</source>
        <translation>Archivieren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Move to folder</source>
        <translation>In Ordner verschieben</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No folder</source>
        <translation>Kein Ordner</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Restore</source>
        <translation>Wiederherstellen</translation>
    </message>
</context>
<context>
    <name>ConversationSection</name>
    <message>
        <location filename="../app/models/conversationsections.cpp" line="+26"/>
        <source>Pinned</source>
        <translation>Angeheftet</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous 7 days</source>
        <translation>Letzte 7 Tage</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Older</source>
        <translation>Älter</translation>
    </message>
</context>
<context>
    <name>LanguagePicker</name>
    <message>
        <location filename="../qml/LanguagePicker.qml" line="+12"/>
        <location line="+9"/>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The new language is used the next time %1 starts.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start von %1.</translation>
    </message>
</context>
<context>
    <name>LastTurnBar</name>
    <message>
        <location filename="../qml/LastTurnBar.qml" line="+46"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interrupted: %1</source>
        <translation>Unterbrochen: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Previous answer</source>
        <translation>Vorherige Antwort</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>%1/%2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Next answer</source>
        <translation>Nächste Antwort</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the answer</source>
        <translation>Antwort kopieren</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Regenerate</source>
        <translation>Neu erzeugen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Retry</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Edit question</source>
        <translation>Frage bearbeiten</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <location filename="../qml/Main.qml" line="+16"/>
        <source>%1 — %2</source>
        <translation>%1 – %2</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../app/session/session.cpp" line="+55"/>
        <location line="+263"/>
        <source>Your session has ended. Please sign in again.</source>
        <translation>Deine Sitzung ist abgelaufen. Bitte melde dich erneut an.</translation>
    </message>
    <message>
        <location line="-65"/>
        <source>Signed in, but the system keychain could not keep the sign-in: %1</source>
        <translation>Angemeldet, aber der Schlüsselbund des Systems konnte die Anmeldung nicht speichern: %1</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Wrong email or password.</source>
        <translation>E-Mail-Adresse oder Passwort ist falsch.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cannot reach the server at %1.</source>
        <translation>Der Server unter %1 ist nicht erreichbar.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server&apos;s TLS certificate is not trusted: %1</source>
        <translation>Dem TLS-Zertifikat des Servers wird nicht vertraut: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The server at %1 did not answer in time.</source>
        <translation>Der Server unter %1 hat nicht rechtzeitig geantwortet.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This email is already registered.</source>
        <translation>Diese E-Mail-Adresse ist bereits registriert.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This account is disabled.</source>
        <translation>Dieses Konto ist deaktiviert.</translation>
    </message>
    <message numerus="yes">
        <location line="+5"/>
        <source>Too many attempts. Try again in %n second(s).</source>
        <translation>
            <numerusform>Zu viele Versuche. Versuche es in %n Sekunde erneut.</numerusform>
            <numerusform>Zu viele Versuche. Versuche es in %n Sekunden erneut.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Too many attempts. Try again later.</source>
        <translation>Zu viele Versuche. Versuche es später erneut.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The system keychain is not available: %1</source>
        <translation>Der Schlüsselbund des Systems ist nicht verfügbar: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Something went wrong (%1).</source>
        <translation>Etwas ist schiefgelaufen (%1).</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../qml/SettingsDialog.qml" line="+10"/>
        <location line="+57"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Account</source>
        <translation>Konto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Signed in as %1 on %2</source>
        <translation>Angemeldet als %1 auf %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+6"/>
        <source>Theme</source>
        <translation>Farbschema</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Follow the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+7"/>
        <source>Text size</source>
        <translation>Schriftgröße</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New line</source>
        <translation>Neue Zeile</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Search chats</source>
        <translation>Chats durchsuchen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop the answer</source>
        <translation>Antwort anhalten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the last code block</source>
        <translation>Letzten Codeblock kopieren</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit your last message</source>
        <translation>Letzte Nachricht bearbeiten</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Larger / smaller text</source>
        <translation>Größere / kleinere Schrift</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../qml/Sidebar.qml" line="+25"/>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Neuer Chat (Strg+N)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Search chats (Ctrl+K)</source>
        <translation>Chats durchsuchen (Strg+K)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search conversations</source>
        <translation>Unterhaltungen durchsuchen</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Chats</source>
        <translation>Chats</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Archive</source>
        <translation>Archiv</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trash</source>
        <translation>Papierkorb</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>All folders</source>
        <translation>Alle Ordner</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Folder</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Folder actions</source>
        <translation>Ordneraktionen</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Rename folder…</source>
        <translation>Ordner umbenennen …</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Delete folder (keeps its chats)</source>
        <translation>Ordner löschen (Chats bleiben erhalten)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>All tags</source>
        <translation>Alle Schlagwörter</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tag</source>
        <translation>Schlagwort</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>No chat title matches “%1”.</source>
        <translation>Kein Chat-Titel passt zu „%1“.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The trash is empty. Deleted chats stay here for 30 days.</source>
        <translation>Der Papierkorb ist leer. Gelöschte Chats bleiben 30 Tage lang hier.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No archived chats.</source>
        <translation>Keine archivierten Chats.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No chats yet. Say hello!</source>
        <translation>Noch keine Chats. Sag Hallo!</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Settings (Ctrl+,)</source>
        <translation>Einstellungen (Strg+,)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Settings…</source>
        <translation>Einstellungen …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Usage…</source>
        <translation>Nutzung …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New folder…</source>
        <translation>Neuer Ordner …</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About %1</source>
        <translation>Über %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Rename chat</source>
        <translation>Chat umbenennen</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New folder</source>
        <translation>Neuer Ordner</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Rename folder</source>
        <translation>Ordner umbenennen</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Folder name</source>
        <translation>Ordnername</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../qml/SignInPage.qml" line="+34"/>
        <source>Create your account</source>
        <translation>Erstelle dein Konto</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign in to continue</source>
        <translation>Melde dich an, um fortzufahren</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Server address</source>
        <translation>Serveradresse</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+8"/>
        <source>Email</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>you@example.com</source>
        <translation>du@example.com</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+7"/>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>At least 8 characters</source>
        <translation>Mindestens 8 Zeichen</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Create account</source>
        <translation>Konto erstellen</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>I already have an account</source>
        <translation>Ich habe schon ein Konto</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Create an account</source>
        <translation>Konto erstellen</translation>
    </message>
</context>
<context>
    <name>TranscriptChannel</name>
    <message>
        <location filename="../app/transcript/transcriptchannel.cpp" line="+12"/>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Copied</source>
        <translation>Kopiert</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Interrupted</source>
        <translation>Unterbrochen</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Previous version</source>
        <translation>Vorherige Version</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next version</source>
        <translation>Nächste Version</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>You</source>
        <translation>Du</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Assistant</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>System</source>
        <translation>System</translation>
    </message>
</context>
<context>
    <name>UsageDialog</name>
    <message>
        <location filename="../qml/UsageDialog.qml" line="+11"/>
        <source>no limit</source>
        <translation>unbegrenzt</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Usage</source>
        <translation>Nutzung</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Messages today</source>
        <translation>Nachrichten heute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens today</source>
        <translation>Tokens heute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens left today</source>
        <translation>Verbleibende Tokens heute</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Messages this month</source>
        <translation>Nachrichten in diesem Monat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens this month</source>
        <translation>Tokens in diesem Monat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tokens left this month</source>
        <translation>Verbleibende Tokens in diesem Monat</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cost this month</source>
        <translation>Kosten in diesem Monat</translation>
    </message>
</context>
<context>
    <name>parlance::client::ChatController</name>
    <message>
        <location filename="../app/controllers/chatcontroller.cpp" line="+55"/>
        <source>The connection to the server was lost: %1</source>
        <translation>Die Verbindung zum Server wurde unterbrochen: %1</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Showing the saved copy: %1</source>
        <translation>Gespeicherte Kopie wird angezeigt: %1</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Could not load the models: %1</source>
        <translation>Die Modelle konnten nicht geladen werden: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Wait for the answer to finish, or stop it first.</source>
        <translation>Warte, bis die Antwort fertig ist, oder halte sie zuerst an.</translation>
    </message>
</context>
<context>
    <name>parlance::client::LanguageSettings</name>
    <message>
        <location filename="../app/i18n/languagesettings.cpp" line="+62"/>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
</context>
</TS>
