#!/usr/bin/env bash
# all_views.sh CCA_SIM SCENARIO OUTDIR: writes every view of the scenario twice and checks
# that each is non-empty, well formed (xmllint for SVG, a JSON parser for the JSON outputs,
# when those tools are present) and byte-identical across the two runs.
set -u
bin=$1 src=$2 out=$3
name=$(basename "$src" .yaml)
dir="$out/$name"
rm -rf "$dir"
mkdir -p "$dir"
views=(svg mmd puml perfetto.json html rmm.log jsonl)
fail() {
	echo "$name: $*" >&2
	exit 1
}
for run in 1 2; do
	d="$dir/$run"
	mkdir -p "$d"
	"$bin" run --quiet --no-color --diagram "$d/d.svg" --perfetto "$d/d.perfetto.json" \
		--report "$d/d.html" --rmm-log "$d/d.rmm.log" --json "$d/d.jsonl" "$src" >/dev/null
	rc=$?
	[ $rc -le 1 ] || fail "cca-sim exited with $rc"
	"$bin" run --quiet --no-color --diagram "$d/d.mmd" "$src" >/dev/null
	"$bin" run --quiet --no-color --diagram "$d/d.puml" "$src" >/dev/null
done
for v in "${views[@]}"; do
	[ -s "$dir/1/d.$v" ] || fail "d.$v is empty or missing"
	cmp "$dir/1/d.$v" "$dir/2/d.$v" || fail "d.$v differs between two runs"
done
grep -q '^sequenceDiagram' "$dir/1/d.mmd" || fail "d.mmd is not a Mermaid sequence diagram"
head -1 "$dir/1/d.puml" | grep -q '^@startuml' || fail "d.puml does not start with @startuml"
tail -1 "$dir/1/d.puml" | grep -q '^@enduml' || fail "d.puml does not end with @enduml"
grep -q '<svg' "$dir/1/d.html" || fail "the report has no inline SVG"
grep -q '</html>' "$dir/1/d.html" || fail "the report is truncated"
# SMC_RMI_<CMD> <args> > RMI_<STATUS> [index] [outputs] [/* condition */], all hex
if grep -v '^SMC_RMI_[A-Z_]* *\( [0-9a-f]*\)* > RMI_[A-Z_]*\( [0-9a-f]*\)*\( /\* [a-z_0-9]* \*/\)\?$' \
	"$dir/1/d.rmm.log"; then
	fail "the lines above of d.rmm.log are not in TF-RMM's format"
fi
if command -v xmllint >/dev/null; then
	xmllint --noout "$dir/1/d.svg" || fail "d.svg is not well-formed XML"
fi
if command -v python3 >/dev/null; then
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["traceEvents"]' \
		"$dir/1/d.perfetto.json" || fail "d.perfetto.json is not valid trace-event JSON"
	python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' \
		"$dir/1/d.jsonl" || fail "d.jsonl is not JSON Lines"
fi
echo "$name: every view produced, well formed and deterministic"
