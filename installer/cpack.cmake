# CPack settings: a .deb per component (parlance, parlance-server,
# parlance-provider-sim) and one .tar.gz with everything. Included by the
# top-level CMakeLists.txt just before include(CPack). Usage: installer/README.md.
set(CPACK_PACKAGE_NAME "parlance")
set(CPACK_PACKAGE_VENDOR "The Parlance developers")
set(CPACK_PACKAGE_CONTACT "The Parlance developers <maintainers@parlance.chat>")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://parlance.chat/")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Parlance")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_SOURCE_IGNORE_FILES "/build/;/node_modules/;/\\\\.git/")
set(CPACK_STRIP_FILES ON)

if(NOT CPACK_GENERATOR)
    set(CPACK_GENERATOR "DEB;TGZ")
endif()

# Only the components this tree builds (installer/CMakeLists.txt).
set(CPACK_COMPONENTS_ALL "")
if(TARGET parlance)
    list(APPEND CPACK_COMPONENTS_ALL client)
endif()
if(TARGET parlanced)
    list(APPEND CPACK_COMPONENTS_ALL server)
endif()
if(TARGET parlance-provider-sim)
    list(APPEND CPACK_COMPONENTS_ALL tools)
endif()
set(CPACK_COMPONENT_CLIENT_DISPLAY_NAME "Parlance desktop client")
set(CPACK_COMPONENT_SERVER_DISPLAY_NAME "parlanced, the Parlance server")
set(CPACK_COMPONENT_TOOLS_DISPLAY_NAME "Parlance LLM provider simulator")

# One archive with every component.
set(CPACK_ARCHIVE_COMPONENT_INSTALL OFF)

# Debian: one package per component, library dependencies found by
# dpkg-shlibdeps. What the binaries load at run time (QML modules, Qt SQL
# drivers, a Secret Service) is not linked, so it is listed by hand.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME "parlance")
set(CPACK_DEBIAN_CLIENT_PACKAGE_DEPENDS
    "qml6-module-qtquick, qml6-module-qtquick-controls, qml6-module-qtquick-layouts, \
qml6-module-qtquick-window, qml6-module-qtquick-templates, qml6-module-qtqml-workerscript, \
qml6-module-qtwebengine, qml6-module-qtwebchannel, fonts-dejavu-core")
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager, qt6-translations-l10n")
set(CPACK_DEBIAN_CLIENT_DESCRIPTION
    "Desktop chat client for large language models\n\
Parlance talks to a Parlance server (parlanced), which routes messages to\n\
OpenAI-compatible or Anthropic providers. Answers stream in with markdown,\n\
code highlighting and typeset math; recent chats are kept for offline use.")

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME "parlance-server")
set(CPACK_DEBIAN_SERVER_PACKAGE_DEPENDS "libqt6sql6-sqlite")
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS "libqt6sql6-psql")
set(CPACK_DEBIAN_SERVER_DESCRIPTION
    "Parlance server (parlanced)\n\
One binary serving the Parlance API: accounts, conversations, streaming\n\
answers from OpenAI-compatible and Anthropic providers with failover,\n\
quotas and billing, on SQLite or PostgreSQL.")

set(CPACK_DEBIAN_TOOLS_PACKAGE_NAME "parlance-provider-sim")
set(CPACK_DEBIAN_TOOLS_DESCRIPTION
    "LLM provider simulator for testing Parlance\n\
Speaks the OpenAI and Anthropic wire formats and injects their faults\n\
(rate limits, overload, stalls) on demand.")
