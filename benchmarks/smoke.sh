#!/usr/bin/env bash
# CI smoke run of the benchmarks: every benchmark once with BenchmarkDotNet's dry job (no timing is
# judged, only that each benchmark builds, sets up, runs and checks its own result). Fails when
# BenchmarkDotNet reports an error, when any benchmark method threw or produced no result, or when
# no benchmark ran at all. About 2 minutes on 2 cores (most of it building and starting processes).
#
# Usage: benchmarks/smoke.sh [extra BenchmarkDotNet arguments]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

export DOTNET_NOLOGO=1
export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log="$(mktemp "${TMPDIR:-/tmp}/e2echat-bench-smoke.XXXXXX.log")"
artifacts="$(mktemp -d "${TMPDIR:-/tmp}/e2echat-bench-smoke.XXXXXX")"
trap 'rm -rf "$artifacts"' EXIT

echo "== benchmark smoke run: dotnet run -c Release --project benchmarks/E2eChat.Benchmarks -- --filter '*' --job dry (log: $log)"
set +e
timeout 900 dotnet run -c Release --project benchmarks/E2eChat.Benchmarks -- \
    --filter '*' --job dry --artifacts "$artifacts" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

failed=0
if [[ $status -ne 0 ]]; then
    echo "benchmark smoke: the benchmark run exited with status $status" >&2
    failed=1
fi

# Program.cs already exits with 1 when a case failed; these also catch a crash before it could.
if grep -nE "ExitCode != 0|Unhandled exception|E2eChat\.Benchmarks: FAILED|Benchmarks with issues|critical validation" "$log" >&2; then
    echo "benchmark smoke: BenchmarkDotNet reported errors (lines above)" >&2
    failed=1
fi

if ! grep -q '^// \* Summary \*' "$log"; then
    echo "benchmark smoke: no summary: no benchmark ran" >&2
    failed=1
fi

# Rows of the summary table (after its |---| separator, up to the first blank line), blank separator rows excluded.
cases=$(awk '/^\|-/ { table = 1; next } table && /^$/ { table = 0 } table && /^\| *[A-Za-z]/ { n++ } END { print n + 0 }' "$log")
echo "== benchmark smoke: $cases benchmark cases reported"
if [[ $failed -ne 0 ]]; then
    echo "== benchmark smoke: FAILED"
    exit 1
fi

echo "== benchmark smoke: OK"
