# Instrumented builds (tests/fuzz/README.md says how each is run):
# - CAPTRACK_SANITIZE: AddressSanitizer + UndefinedBehaviorSanitizer on everything (g++ or clang), so the
#   CppUnit suite runs with any report fatal (scripts/test.sh builds it in build/asan);
# - CAPTRACK_FUZZ: clang only; everything is compiled with libFuzzer's coverage instrumentation and both
#   sanitizers, and the targets of tests/fuzz/ are linked with libFuzzer (tests/fuzz/run.sh, build/fuzz).
# The flags go on every target of the tree (captrack_core included), so a fault in our code is caught
# wherever the fuzzer or the test reaches it. Poco is not rebuilt: its headers, found through imported
# targets under /usr/include, are system headers and raise no warning.

option(CAPTRACK_SANITIZE "build everything with AddressSanitizer and UndefinedBehaviorSanitizer" OFF)
option(CAPTRACK_FUZZ "build the libFuzzer targets of tests/fuzz (clang; implies both sanitizers)" OFF)

if(CAPTRACK_SANITIZE OR CAPTRACK_FUZZ)
    # -fno-sanitize-recover: an undefined behaviour report aborts the process like an ASan one, so the
    # test or the fuzzer that reached it fails instead of printing and going on.
    set(CAPTRACK_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    add_compile_options(${CAPTRACK_SANITIZER_FLAGS})
    add_link_options(-fsanitize=address,undefined)
endif()

if(CAPTRACK_FUZZ)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
        message(FATAL_ERROR "CAPTRACK_FUZZ needs clang (libFuzzer): configure with CXX=clang++-14")
    endif()
    add_compile_options(-fsanitize=fuzzer-no-link)
    # libFuzzer is linked as a plain archive after our code rather than with -fsanitize=fuzzer: Debian's
    # libclang_rt.fuzzer holds its own copies of libstdc++ templates built without exception cleanup, and
    # -fsanitize=fuzzer puts it first, so the linker keeps those copies for our code too (a string being
    # built when an exception passes then leaks: a false LeakSanitizer report). Last, it loses to ours.
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} --print-runtime-dir OUTPUT_VARIABLE CAPTRACK_CLANG_RUNTIME_DIR
                    OUTPUT_STRIP_TRAILING_WHITESPACE)
    find_file(CAPTRACK_LIBFUZZER libclang_rt.fuzzer-${CMAKE_SYSTEM_PROCESSOR}.a HINTS ${CAPTRACK_CLANG_RUNTIME_DIR}
              NO_DEFAULT_PATH REQUIRED)
endif()
