# gmp_client: the standalone-Asio shell and C++ API (Membership), the script language and its
# runner; gmp-client: the program. Included from reference/client/CMakeLists.txt.
find_package(Threads REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 QUIET)

add_library(gmp_client STATIC
  ${CMAKE_CURRENT_SOURCE_DIR}/src/membership.cpp ${CMAKE_CURRENT_SOURCE_DIR}/src/event_json.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/script.cpp ${CMAKE_CURRENT_SOURCE_DIR}/src/runner.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/src/oneshot.cpp)
target_include_directories(gmp_client PUBLIC include PRIVATE src)
target_link_libraries(gmp_client PUBLIC gmp_client_core gmp_json nlohmann_json::nlohmann_json
                                        Threads::Threads)
gmp_target_defaults(gmp_client)
add_library(gmp::client ALIAS gmp_client)

add_executable(gmp-client ${CMAKE_CURRENT_SOURCE_DIR}/src/main.cpp)
target_include_directories(gmp-client PRIVATE src)
target_link_libraries(gmp-client PRIVATE gmp_client gmp_app)
if(TARGET CLI11::CLI11)
  target_link_libraries(gmp-client PRIVATE CLI11::CLI11)
endif()
set_target_properties(gmp-client PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
gmp_target_defaults(gmp-client)
