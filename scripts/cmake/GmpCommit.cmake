# Run at every build (cmake -P): writes OUT (gmp/commit.hpp) with the source tree's git commit,
# "unknown" outside a git checkout, "-dirty" when tracked files differ, and touches OUT only
# when its content changes, so that nothing is rebuilt for an unchanged commit.
# The conformance tester puts it in its certification report (PCTR).
execute_process(COMMAND git -C "${SRC}" rev-parse --short=12 HEAD
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(commit "unknown")
else()
  execute_process(COMMAND git -C "${SRC}" diff --quiet HEAD -- RESULT_VARIABLE dirty ERROR_QUIET)
  if(NOT dirty EQUAL 0)
    string(APPEND commit "-dirty")
  endif()
endif()
set(text "// Generated at build time by scripts/cmake/GmpCommit.cmake.\n#pragma once\nnamespace gmp {\ninline constexpr const char* toolkit_commit = \"${commit}\";\n}\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
