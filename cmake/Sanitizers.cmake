# Sanitizer and fuzzing builds (.ci/sanitizers runs them in CI).
#
# SOCKSCOPE_SANITIZE: OFF, ON (= address,undefined) or any -fsanitize= list, e.g. thread.
# SOCKSCOPE_FUZZ: libFuzzer targets in tests/fuzz (clang only); the rest of the build gets
#   fuzzer-no-link so the core the targets link is coverage-instrumented.
set(SOCKSCOPE_SANITIZE "OFF" CACHE STRING "OFF, ON (address,undefined) or a -fsanitize= list such as thread")
option(SOCKSCOPE_FUZZ "Build the libFuzzer targets in tests/fuzz (needs clang)" OFF)

set(sockscope_sanitizers "")
if(SOCKSCOPE_SANITIZE STREQUAL "ON" OR SOCKSCOPE_SANITIZE STREQUAL "TRUE")
    set(sockscope_sanitizers "address,undefined")
elseif(SOCKSCOPE_SANITIZE AND NOT SOCKSCOPE_SANITIZE STREQUAL "OFF")
    set(sockscope_sanitizers "${SOCKSCOPE_SANITIZE}")
endif()
if(sockscope_sanitizers)
    add_compile_options(-fsanitize=${sockscope_sanitizers} -fno-omit-frame-pointer)
    add_link_options(-fsanitize=${sockscope_sanitizers})
    if(sockscope_sanitizers MATCHES "undefined")
        # A UB report fails the test that caused it instead of scrolling past. Without
        # the vptr check: it tests memory through a pipe (sanitizer_common's
        # IsAccessibleMemoryRange), which a process at its descriptor limit cannot open,
        # so the fd-limit tests drew false "invalid vptr" reports.
        add_compile_options(-fno-sanitize-recover=undefined -fno-sanitize=vptr)
    endif()
endif()

if(SOCKSCOPE_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "SOCKSCOPE_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++-16")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # libstdc++ 12 hides std::expected behind __cpp_concepts >= 202002L, which clang 16
    # does not announce yet although it implements what <expected> uses.
    add_compile_options(-D__cpp_concepts=202002L -Wno-macro-redefined)
endif()
