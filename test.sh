#!/usr/bin/env bash
# Runs the whole test suite (the README's test command). Services the tests need run in-process
# or as child processes on loopback; SQLite files live in temp folders.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure-test-tools.sh
results=$(mktemp -d)
status=0
dotnet test SealService.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?
# One plain summary line over all test projects.
python3 - "$results" <<'PY' || true
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
for t in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(t).getroot().find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0))
    s += int(c.get("notExecuted", 0))
print(f"{p} passed, {f} failed, {s} skipped")
PY
exit $status
