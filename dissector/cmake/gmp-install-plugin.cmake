# cmake -DSRC=<gmp.so> -DDEST=<folder> [-DUSER_DIR=ON -DAPI=4.0] -P gmp-install-plugin.cmake
# USER_DIR=ON: DEST is the personal plugin folder of whoever runs the build
# ($HOME/.local/lib/wireshark/plugins/<API>/epan), read at build time, not configure time.
if(USER_DIR)
  if("$ENV{HOME}" STREQUAL "")
    message(FATAL_ERROR "HOME is not set: cannot find the personal plugin folder")
  endif()
  set(DEST "$ENV{HOME}/.local/lib/wireshark/plugins/${API}/epan")
endif()
file(MAKE_DIRECTORY "${DEST}")
file(COPY "${SRC}" DESTINATION "${DEST}")
message(STATUS "Installed ${SRC} into ${DEST}")
