# gmp_fuzz_target(NAME LIB...): a libFuzzer target NAME from NAME.cpp in the calling directory,
# linked with LIB..., in <build>/bin, sharing the codec's fuzz oracle (reference/codec/fuzz).
# Only with -DGMP_FUZZ=ON and clang (scripts/fuzz-codec, scripts/fuzz-cores).
function(gmp_fuzz_target name)
  add_executable(${name} ${name}.cpp)
  target_link_libraries(${name} PRIVATE ${ARGN})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/reference/codec/fuzz)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
  gmp_target_defaults(${name})
endfunction()
