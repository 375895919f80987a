# `make package`: a Debian package of Rekindle (cpack -G DEB), with what a host needs and
# nothing it must fetch: the binary (which carries its SQL, templates and dashboard), the
# default templates to copy and edit, the systemd units pointed at /usr/bin/rekindle, the
# environment file as a conffile, and a postinst that makes the `rekindle` system user.
# The runtime libraries become Depends through dpkg-shlibdeps.
include(GNUInstallDirs)

install(TARGETS rekindle RUNTIME DESTINATION bin)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/templates/ DESTINATION share/rekindle/templates)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION share/doc/rekindle)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/rekindle.env.example DESTINATION share/doc/rekindle)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/rekindle.env.example DESTINATION /etc/rekindle RENAME rekindle.env
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)

# The units in deploy/ are written for a hand install in /usr/local/bin; the package's
# binary is /usr/bin/rekindle.
file(GLOB RKD_UNITS ${CMAKE_SOURCE_DIR}/deploy/rekindle-*.service ${CMAKE_SOURCE_DIR}/deploy/rekindle-*.timer)
foreach(unit IN LISTS RKD_UNITS)
  get_filename_component(name ${unit} NAME)
  file(READ ${unit} text)
  string(REPLACE "/usr/local/bin/rekindle" "/usr/bin/rekindle" text "${text}")
  file(WRITE ${CMAKE_BINARY_DIR}/units/${name} "${text}")
  install(FILES ${CMAKE_BINARY_DIR}/units/${name} DESTINATION /lib/systemd/system)
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rekindle)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Rekindle maintainers <maintainers@rekindle.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Finds the clients who drift away from a shop and wins them back by email")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, tzdata")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${CMAKE_SOURCE_DIR}/packaging/debian/conffiles
                                       ${CMAKE_SOURCE_DIR}/packaging/debian/postinst)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The binary keeps its symbols out of the package (dbgsym would need another package).
set(CPACK_STRIP_FILES ON)
include(CPack)
