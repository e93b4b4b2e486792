#!/usr/bin/env bash
# report_chromium.sh CCA_SIM CHROMIUM SCENARIO OUTDIR: writes the HTML report, loads it in
# headless Chromium and checks the rendered DOM holds the sequence diagram; also writes a
# screenshot (OUTDIR/report.png) for people to look at.
set -u
bin=$1 chromium=$2 src=$3 out=$4
rm -rf "$out"
mkdir -p "$out"
report="$out/report.html"
"$bin" run --quiet --no-color --report "$report" "$src" >/dev/null || exit 1
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
       --disable-background-networking --disable-component-update --disable-sync
       --user-data-dir="$profile")
timeout 90 "$chromium" "${flags[@]}" --dump-dom "file://$report" >"$out/dom.html" \
	2>"$out/chromium.log"
rc=$?
[ $rc -eq 0 ] || { echo "chromium --dump-dom failed ($rc):" >&2; tail -20 "$out/chromium.log" >&2; exit 1; }
grep -q '<svg[^>]*id="sequence-diagram"' "$out/dom.html" ||
	{ echo "the loaded report has no diagram svg element" >&2; exit 1; }
grep -q 'PSCI_DENIED' "$out/dom.html" || { echo "the diagram lacks the DENIED path" >&2; exit 1; }
if grep -qi 'parsererror\|This page contains the following errors' "$out/dom.html"; then
	echo "chromium reported a parse error in the report" >&2
	exit 1
fi
timeout 90 "$chromium" "${flags[@]}" --window-size=1400,1200 --screenshot="$out/report.png" \
	"file://$report" >>"$out/chromium.log" 2>&1
[ -s "$out/report.png" ] || { echo "no screenshot written" >&2; exit 1; }
# A failing run's report says so at the top, with the failed expectations.
"$bin" run --quiet --no-color --spec 1.0-eac2 --report "$out/fail.html" "$src" >/dev/null 2>&1
grep -q '<div id="verdict" class="fail">FAIL: ' "$out/fail.html" ||
	{ echo "a failing run's report has no FAIL verdict" >&2; exit 1; }
grep -q '<li>.*hotplug_deny.yaml:[0-9]*:[0-9]*: ' "$out/fail.html" ||
	{ echo "a failing run's report lists no failed expectation" >&2; exit 1; }
echo "report loads in Chromium with its diagram; screenshot: $out/report.png"
