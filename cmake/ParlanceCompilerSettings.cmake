# Compiler settings shared by every target: warnings, sanitizers, ccache.

find_program(PARLANCE_CCACHE ccache)
if(PARLANCE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_C_COMPILER_LAUNCHER "${PARLANCE_CCACHE}")
    set(CMAKE_CXX_COMPILER_LAUNCHER "${PARLANCE_CCACHE}")
endif()

set(PARLANCE_SANITIZE "" CACHE STRING "Sanitizers to enable, e.g. address,undefined")

add_library(parlance_compile_options INTERFACE)
add_library(Parlance::CompileOptions ALIAS parlance_compile_options)

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(parlance_compile_options INTERFACE
        -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
        -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough)
    if(PARLANCE_WARNINGS_AS_ERRORS)
        target_compile_options(parlance_compile_options INTERFACE -Werror)
    endif()
endif()

# Strings are never built from raw char* by accident; QStringLiteral/u"" everywhere.
target_compile_definitions(parlance_compile_options INTERFACE
    QT_NO_CAST_FROM_ASCII QT_NO_CAST_TO_ASCII QT_NO_URL_CAST_FROM_STRING
    QT_NO_CAST_FROM_BYTEARRAY QT_USE_QSTRINGBUILDER QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)

if(PARLANCE_SANITIZE)
    add_compile_options(-fsanitize=${PARLANCE_SANITIZE} -fno-omit-frame-pointer)
    add_link_options(-fsanitize=${PARLANCE_SANITIZE})
endif()
