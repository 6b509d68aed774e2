#!/usr/bin/env bash
# The suite must pass on any day: runs the unit and integration tests with the clock moved to
# instants where dates are most likely to bite (a year's last seconds, a leap day, a month's last
# seconds before a Monday). Needs libfaketime (Debian: apt-get install -y faketime).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v faketime >/dev/null || { echo "faketime is missing: apt-get install -y faketime"; exit 1; }
instants=("$@")
[ ${#instants[@]} -gt 0 ] || instants=('2026-12-31 23:59:30' '2028-02-29 12:00:00' '2027-05-31 23:59:40')
for instant in "${instants[@]}"; do
  echo "== the clock at ${instant} UTC"
  TZ=UTC faketime -f "@${instant}" npx mocha --no-config --node-option import=tsx --timeout 120000 --exit \
    --reporter test/support/summary-reporter.cjs 'test/unit/*.test.ts' 'test/integration/*.test.ts'
done
