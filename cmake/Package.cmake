# The Debian package: `cpack -G DEB` in a build folder makes captrack_<version>_<arch>.deb, its version
# project()'s (the one `captrack --version` prints). Layout, unit, maintainer scripts and upgrades:
# docs/PACKAGING.md; tests/package/run.sh installs, runs and removes it.
#
# The web page is not a file of the package: it is inside the binary (cmake/EmbedWebAssets.cmake).

set(CAPTRACK_STATE_DIR /var/lib/captrack) # systemd's StateDirectory=captrack
set(CAPTRACK_INSTALLED_DOC_DIR ${CMAKE_INSTALL_FULL_DOCDIR})
set(package_dir ${CMAKE_CURRENT_BINARY_DIR}/generated/package)

# The package's settings: etc/captrack.properties with the database and the token secret in the state
# directory, made again whenever that file changes. Each line replaced must be there exactly once.
function(captrack_packaged_settings source output)
    file(READ ${source} text)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${source})
    foreach(pair "db.url = sqlite:var/captrack.db|db.url = sqlite:${CAPTRACK_STATE_DIR}/captrack.db"
                 "auth.secret_file = var/captrack.secret|auth.secret_file = ${CAPTRACK_STATE_DIR}/captrack.secret")
        string(REPLACE "|" ";" pair "${pair}")
        list(GET pair 0 from)
        list(GET pair 1 to)
        string(REGEX MATCHALL "\n${from}\n" found "${text}")
        list(LENGTH found count)
        if(NOT count EQUAL 1)
            message(FATAL_ERROR "${source}: expected the line '${from}' once (found ${count}) to make the package's settings")
        endif()
        string(REPLACE "\n${from}\n" "\n${to}\n" text "${text}")
    endforeach()
    file(WRITE ${output}.new
         "# ${CAPTRACK_INSTALLED_CONFIG_FILE}: the settings of the captrack service and of every captrack\n"
         "# command run on this machine. Yours to edit: a package upgrade keeps your changes (docs/PACKAGING.md).\n"
         "# The data (database, token secret) are in ${CAPTRACK_STATE_DIR}, the service's state directory.\n"
         "#\n" "${text}")
    configure_file(${output}.new ${output} COPYONLY)
endfunction()
captrack_packaged_settings(${CMAKE_CURRENT_SOURCE_DIR}/etc/captrack.properties ${package_dir}/captrack.properties)
configure_file(etc/systemd/captrack.service.in ${package_dir}/captrack.service @ONLY)
file(WRITE ${package_dir}/conffiles.new "${CAPTRACK_INSTALLED_CONFIG_FILE}\n")
configure_file(${package_dir}/conffiles.new ${package_dir}/conffiles COPYONLY)

install(TARGETS captrack RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY sql/ DESTINATION ${CMAKE_INSTALL_DATADIR}/captrack/sql)
install(FILES ${package_dir}/captrack.properties DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/captrack)
install(FILES ${package_dir}/captrack.service DESTINATION lib/systemd/system)
install(FILES README.md docs/PACKAGING.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CAPTRACK_PACKAGE_MAINTAINER "captrack maintainers <maintainers@captrack.invalid>"
    CACHE STRING "the Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME captrack)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "portfolio tracking for partnership capability development and scientific projects")
set(CPACK_PACKAGE_DESCRIPTION
    "captrack keeps the portfolio of partnership projects: partner contributions, milestones, the NATO-led\n"
    "operations and missions they support, status summaries and portfolio reports, through a JSON API and\n"
    "a web page. This package runs it as the systemd service captrack.service on SQLite or MariaDB.")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${CAPTRACK_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the shared libraries the binary links (dpkg-shlibdeps), and adduser for postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS adduser)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${package_dir}/conffiles ${CMAKE_CURRENT_SOURCE_DIR}/packaging/deb/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/packaging/deb/prerm ${CMAKE_CURRENT_SOURCE_DIR}/packaging/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_CURRENT_BINARY_DIR}/package)
include(CPack)
