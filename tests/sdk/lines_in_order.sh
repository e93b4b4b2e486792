#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# lines_in_order.sh FILE EXPECT: every line of EXPECT occurs in FILE as a substring of a line,
# in that order (each after the previous one's match).
set -u
file=$1 expect=$2
at=0
while IFS= read -r want; do
	[ -z "$want" ] && continue
	n=$(tail -n +"$((at + 1))" "$file" | grep -n -F -m1 -- "$want" | cut -d: -f1)
	if [ -z "$n" ]; then
		echo "$file: no line containing '$want' after line $at" >&2
		exit 1
	fi
	at=$((at + n))
done <"$expect"
