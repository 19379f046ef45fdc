# parlance_add_test(<name> SOURCES <files...> LIBS <targets...> LABELS <labels...>
#                   [TIMEOUT <seconds>])
# One Qt Test executable per test case, registered with CTest under its labels.
function(parlance_add_test name)
    cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test Parlance::CompileOptions ${ARG_LIBS})
    target_compile_definitions(${name} PRIVATE
        PARLANCE_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data")
    add_test(NAME ${name} COMMAND ${name})
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_NO_GLIB=1")
endfunction()
