#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs a scenario twice and requires byte-identical --json and --junit outputs.
set -u
bin=$1 src=$2 out=$3
mkdir -p "$out"
name=$(basename "$src" .yaml)
for i in 1 2; do
	"$bin" run --quiet --no-color --json "$out/$name.$i.jsonl" --junit "$out/$name.$i.xml" \
		"$src" >/dev/null 2>&1
done
cmp "$out/$name.1.jsonl" "$out/$name.2.jsonl" && cmp "$out/$name.1.xml" "$out/$name.2.xml" &&
	[ -s "$out/$name.1.jsonl" ]
