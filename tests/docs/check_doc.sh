#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Runs every command a document marks with `<!-- check: cca-sim ARGS -->` (from the
# repository's top folder) and requires each line of the ```text block that follows to
# appear in the command's output, in order and each right after the one before, except
# where a line `...` says lines are left out. Keeps the documents' excerpts true and honest
# about what they omit.
set -u
bin=$1 doc=$2 top=$3
cd "$top" || exit 1
fail=0 n=0
while IFS= read -r marker; do
	lineno=${marker%%:*}
	args=$(sed -E 's/.*<!-- check: cca-sim (.*) -->.*/\1/' <<<"${marker#*:}")
	# the excerpt: lines between the next ```text and the closing ```
	excerpt=$(awk -v start="$lineno" 'NR > start && /^```text/ {on = 1; next}
		on && /^```/ {exit} on {print}' "$doc")
	# shellcheck disable=SC2086
	out=$("$bin" $args 2>&1)
	n=$((n + 1))
	pos=0 gap=1
	while IFS= read -r want; do
		[ -z "$want" ] && continue
		# "..." marks lines the excerpt leaves out; elsewhere its lines follow each other
		if [ "$want" = "..." ]; then
			gap=1
			continue
		fi
		if [ $gap -eq 1 ]; then
			found=$(awk -v from="$pos" -v w="$want" 'NR > from && $0 == w {print NR; exit}' <<<"$out")
		else
			found=$(awk -v at="$((pos + 1))" -v w="$want" 'NR == at && $0 == w {print NR; exit}' <<<"$out")
		fi
		if [ -z "$found" ]; then
			if [ $gap -eq 1 ]; then
				echo "$doc:$lineno: \`cca-sim $args\` no longer prints, in order:" >&2
			else
				echo "$doc:$lineno: \`cca-sim $args\` does not print next (mark left-out lines with ...):" >&2
			fi
			echo "    $want" >&2
			fail=1
			break
		fi
		pos=$found gap=0
	done <<<"$excerpt"
done < <(grep -n '<!-- check: cca-sim ' "$doc")
# `<!-- same-as: FILE -->`: the fenced block that follows is FILE, byte for byte.
while IFS= read -r marker; do
	lineno=${marker%%:*}
	file=$(sed -E 's/.*<!-- same-as: ([^ ]*) -->.*/\1/' <<<"${marker#*:}")
	n=$((n + 1))
	if ! awk -v start="$lineno" 'NR > start && /^```/ && !on {on = 1; next}
		on && /^```$/ {exit} on {print}' "$doc" | cmp -s - "$file"; then
		echo "$doc:$lineno: the block is no longer the same as $file" >&2
		fail=1
	fi
done < <(grep -n '<!-- same-as: ' "$doc")
[ "$n" -gt 0 ] || { echo "$doc has no checked commands" >&2; exit 1; }
exit $fail
