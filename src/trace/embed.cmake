# SPDX-License-Identifier: GPL-2.0-or-later
# cmake -DIN=FILE -DOUT=HEADER -DNAME=SYMBOL -P embed.cmake: FILE's bytes as a NUL-terminated
# C array, so that a text the program writes out (the report's script) stays a file of its own.
file(READ ${IN} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "/* Generated from ${IN} by embed.cmake: do not edit. */\n"
     "static const char ${NAME}[] = {${bytes} 0x00};\n")
