# The Debian package (CPack DEB): gmp-toolkit_<project version>_amd64.deb, every component in
# one package, installed under /usr (so the plugin lands in Wireshark's global plugin folder).
# scripts/package builds it; the version is project() VERSION, like every program's --version.
set(GMP_MAINTAINER "GMP toolkit maintainers <gmp-toolkit@example.org>")

# Debian policy files under /usr/share/doc/gmp-toolkit: copyright (DEP-5) and a gzip -9n
# changelog.gz (lintian: no-changelog otherwise; a version without Debian revision is a native
# package, whose changelog is changelog.gz, not changelog.Debian.gz).
configure_file(${PROJECT_SOURCE_DIR}/packaging/changelog.in
               ${CMAKE_BINARY_DIR}/packaging/changelog @ONLY)
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/packaging/changelog.gz
  COMMAND ${GMP_GZIP} -9nkf ${CMAKE_BINARY_DIR}/packaging/changelog
  DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog
  VERBATIM)
add_custom_target(gmp_deb_files ALL DEPENDS ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright ${CMAKE_BINARY_DIR}/packaging/changelog.gz
        DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/gmp-toolkit COMPONENT deb)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gmp-toolkit)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${GMP_MAINTAINER}")
set(CPACK_PACKAGE_VENDOR "GMP toolkit")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Group Management Protocol (ITU-T X.602) toolkit")
set(CPACK_PACKAGE_INSTALL_DIRECTORY gmp)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GMP_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://www.itu.int/rec/T-REC-X.602")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "tshark | wireshark")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# CPack writes CPACK_PACKAGE_DESCRIPTION_SUMMARY as the synopsis and indents these lines itself
# (an empty line becomes " .").
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "GMP creates multicast group sessions (session management over TCP) and
tracks their members (membership management over UDP).

This package holds the reference server (gmp-server), the reference
client (gmp-client), the conformance tester (gmp-conform) with its test
scenarios and PIXIT templates, a capture decoder (gmp-decode), a load
generator (gmp-load), a test-vector capture writer (gmp-pcapgen) and a
Wireshark 4.0 dissector plugin.")
include(CPack)
