# The installed layout (relative to the prefix; the .deb uses /usr):
#   bin/                     the programs (not the tests, not gmp-server-faulty)
#   share/gmp/conformance/   scenarios/ (with lib/, robustness/), clauses.yaml,
#                            deviations.example.yaml, pixit/ (PIXIT templates)
#   share/doc/gmp/           README.md and docs/*.md
#   share/man/man1/          one man page per program, made from its --help by help2man
#   lib/<arch>/wireshark/plugins/4.0/epan/gmp.so   (dissector/CMakeLists.txt), with prefix /usr
#                            exactly the "Global Plugins" folder of `tshark -G folders`
# The programs find share/gmp from their own location (reference/app), so the tree works from
# any prefix and never reads the source tree.
include(GNUInstallDirs)

set(GMP_INSTALLED_PROGRAMS gmp-server gmp-client gmp-conform gmp-decode gmp-load gmp-pcapgen)
set(_gmp_programs "")
foreach(p IN LISTS GMP_INSTALLED_PROGRAMS)
  if(TARGET ${p})
    list(APPEND _gmp_programs ${p})
  endif()
endforeach()
install(TARGETS ${_gmp_programs} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT programs)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/conformance/scenarios ${PROJECT_SOURCE_DIR}/conformance/pixit
        DESTINATION ${CMAKE_INSTALL_DATADIR}/gmp/conformance COMPONENT programs)
install(FILES ${PROJECT_SOURCE_DIR}/conformance/clauses.yaml
              ${PROJECT_SOURCE_DIR}/conformance/deviations.example.yaml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/gmp/conformance COMPONENT programs)

file(GLOB _gmp_docs ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${_gmp_docs}
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/gmp COMPONENT programs)

# Man pages: help2man runs each built program with --help and --version (the CLI convention of
# reference/app guarantees both), gzip -9n keeps them reproducible (no name, no time stamp).
find_program(GMP_HELP2MAN help2man)
find_program(GMP_GZIP gzip)
if(GMP_HELP2MAN AND GMP_GZIP)
  # The NAME line of each page (whatis).
  set(_gmp_what_gmp-server "reference GMP (ITU-T X.602) server")
  set(_gmp_what_gmp-client "reference GMP (ITU-T X.602) client")
  set(_gmp_what_gmp-conform "GMP (ITU-T X.602) conformance tester for servers")
  set(_gmp_what_gmp-decode "print the GMP messages of a capture as JSON")
  set(_gmp_what_gmp-load "load generator for a GMP server")
  set(_gmp_what_gmp-pcapgen "write the GMP test vectors as a capture")
  set(_gmp_man_pages "")
  foreach(p IN LISTS _gmp_programs)
    set(_page ${CMAKE_BINARY_DIR}/man/${p}.1)
    add_custom_command(
      OUTPUT ${_page}.gz
      COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
      COMMAND ${GMP_HELP2MAN} --no-info --section 1 --no-discard-stderr
              --name "${_gmp_what_${p}}" --output ${_page} $<TARGET_FILE:${p}>
      COMMAND ${GMP_GZIP} -9nf ${_page}
      DEPENDS ${p}
      COMMENT "Man page ${p}.1"
      VERBATIM)
    list(APPEND _gmp_man_pages ${_page}.gz)
  endforeach()
  add_custom_target(gmp_man ALL DEPENDS ${_gmp_man_pages})
  install(FILES ${_gmp_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT programs)
else()
  message(STATUS "help2man or gzip missing: no man pages")
endif()
