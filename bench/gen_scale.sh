#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Writes the scale scenario: a realm with N RECs (default 256) whose boot vCPU brings every
# other vCPU online; the host has plugged the even ones, so half are allowed, half denied.
set -eu
n=${1:-256}
echo "name: hotplug_scale_$n"
echo "description: >"
echo "  Scale: the boot vCPU of a $n-vCPU realm calls PSCI_CPU_ON for every other vCPU; the"
echo "  host has plugged the even-numbered ones only, so half are allowed and half denied."
echo "realm:"
echo "  recs:"
echo "    - runnable: true"
echo "      program:"
for ((i = 1; i < n; i++)); do
	echo "        - psci_cpu_on: {target: $i, entry: rec$i, context_id: $i}"
	if ((i % 2 == 0)); then echo "          expect: PSCI_SUCCESS"; else echo "          expect: PSCI_DENIED"; fi
done
echo "        - psci_system_off: {}"
# Allowed (even) vCPUs check they received their context_id; denied ones never run.
for ((i = 1; i < n; i++)); do
	echo "    - runnable: false"
	if ((i % 2 == 0)); then
		echo "      program:"
		echo "        - check_regs: {x0: $i}"
	else
		echo "      program: []"
	fi
done
echo "host:"
printf "  plugged: [0"
for ((i = 2; i < n; i += 2)); do printf ", %d" $i; done
echo "]"
echo "expect:"
echo "  - host: {decision: deny, rec: 0, target: 1}"
echo "  - host: {decision: allow, rec: 0, target: 2}"
echo "  - host: {decision: deny, rec: 0, target: $((n - 1))}"
echo "  - realm_state: {state: SYSTEM_OFF}"
echo "absent:"
echo "  - rec_enter: {rec: 1, status: RMI_SUCCESS}"
