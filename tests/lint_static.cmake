# SPDX-License-Identifier: GPL-2.0-or-later
# Fails on any cppcheck or clang-tidy finding in src/, tests/ and bench/. clang-tidy reads the
# build's compile_commands.json (BIN) and checks the C files it lists under those folders, JOBS
# at a time; the checks are the ones in .clang-tidy (and tests/.clang-tidy).
set(cppcheck_args --quiet --enable=warning,portability,performance --std=c11 --inline-suppr
                  --error-exitcode=1 -I src src tests bench)
execute_process(COMMAND ${CPPCHECK} ${cppcheck_args} WORKING_DIRECTORY ${SRC}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0 OR out MATCHES "[a-zA-Z]")
  message(FATAL_ERROR "cppcheck (exit ${rc}):\n${out}")
endif()

file(READ ${BIN}/compile_commands.json db)
string(JSON n LENGTH "${db}")
set(files "")
if(n GREATER 0)
  math(EXPR last "${n} - 1")
  foreach(i RANGE ${last})
    string(JSON f GET "${db}" ${i} file)
    foreach(dir src tests bench)
      string(FIND "${f}" "${SRC}/${dir}/" at)
      if(at EQUAL 0 AND f MATCHES "\\.c$")
        list(APPEND files ${f})
      endif()
    endforeach()
  endforeach()
endif()
list(REMOVE_DUPLICATES files)
list(SORT files)
list(LENGTH files nfiles)
if(nfiles EQUAL 0)
  message(FATAL_ERROR "no C files of ${SRC} in ${BIN}/compile_commands.json")
endif()
string(REPLACE ";" "\n" list_text "${files}")
file(WRITE ${BIN}/lint_static_files.txt "${list_text}\n")
execute_process(COMMAND xargs -P ${JOBS} -n 4 ${CLANG_TIDY} -p ${BIN} --quiet
                INPUT_FILE ${BIN}/lint_static_files.txt RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR out MATCHES "(warning|error):")
  message(FATAL_ERROR "clang-tidy (exit ${rc}) on ${nfiles} files:\n${out}\n${err}")
endif()
message(STATUS "cppcheck and clang-tidy: ${nfiles} files clean")
