# SPDX-License-Identifier: GPL-2.0-or-later
# Fails when any C source or header is not formatted with the project's .clang-format.
file(GLOB_RECURSE files ${SRC}/src/*.c ${SRC}/src/*.h ${SRC}/tests/*.c ${SRC}/tests/*.h
     ${SRC}/bench/*.c)
find_program(CLANG_FORMAT clang-format REQUIRED)
set(bad "")
foreach(f ${files})
  execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${f} RESULT_VARIABLE rc
                  OUTPUT_QUIET ERROR_QUIET)
  if(NOT rc EQUAL 0)
    list(APPEND bad ${f})
  endif()
endforeach()
if(bad)
  message(FATAL_ERROR "not clang-formatted: ${bad}")
endif()
