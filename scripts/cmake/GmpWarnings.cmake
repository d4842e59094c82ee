# Warnings and sanitizer settings for the project's own targets: call gmp_target_defaults(tgt).
function(gmp_target_defaults target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror)
  if(GMP_SANITIZE)
    # GCC 12 reports false maybe-uninitialized warnings inside <regex> and <functional> when
    # instrumented (GCC bug 105562 and relatives); they are not ours to fix under -Werror.
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined
                                             -Wno-maybe-uninitialized)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

# Libraries built into sanitizer builds must be instrumented too; static libs pass the flags on.
# Sanitizer and fuzz builds also keep assert() on (-UNDEBUG): the cores' invariants are checked
# on every input there (docs/architecture.md).
if(GMP_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -UNDEBUG)
  add_link_options(-fsanitize=address,undefined)
endif()
if(GMP_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GMP_FUZZ needs clang: -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -UNDEBUG)
  add_link_options(-fsanitize=address,undefined)
endif()
