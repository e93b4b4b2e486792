#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Installs the Debian packages cca-sim builds and tests with, only those that are missing.
# Everything comes from Debian's archive: nothing else is downloaded.
set -euo pipefail
pkgs=(build-essential cmake pkg-config
      libunicorn-dev libcapstone-dev libelf-dev libyaml-dev libcmocka-dev libmbedtls-dev
      libcbor-dev                                # CBOR of the attestation tokens
      python3-cbor2 python3-cryptography         # the independent token verifier in a test
      clang-format clang-tidy cppcheck valgrind
      clang libclang-rt-14-dev   # the sanitizer build and the libFuzzer harnesses (tests/fuzz)
      binutils-aarch64-linux-gnu # assembles the .S realm image of a test
      gcc-aarch64-linux-gnu      # builds the realm SDK's C examples (sdk/, tests/sdk)
      chromium                   # loads the HTML report in a test, headless
      python3-websocket          # drives that Chromium over its DevTools protocol
      libxml2-utils              # xmllint: the SVG diagrams are well-formed XML
      gdb-multiarch)             # the real client of the gdb stub, in a test
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "cca-sim: installing ${missing[*]}"
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
