#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) under afl++, one at a time under nice, for a set time,
# and prints executions and findings per target (a Markdown table, as in README.md).
# Usage: tests/E2eChat.Fuzz/run.sh [seconds per target, default 90] [target...]
# Needs afl++ (Debian: apt-get install -y afl++) and the .NET SDK; the sharpfuzz instrumenter comes
# from the repository's tool manifest (.config/dotnet-tools.json: dotnet tool restore).
# Output: .fuzz/out/<target>/default/{fuzzer_stats,crashes,hangs}. A crash is a finding: copy the input
# into corpus/<target>/ and fix the code, so that the replay test (tests/E2eChat.Tests/Fuzz) keeps it fixed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-90}"
shift || true
work="$root/.fuzz"
mkdir -p "$work"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 1; }
(cd "$root" && dotnet tool restore >/dev/null)

rm -rf "$work/bin"
nice dotnet publish "$here/E2eChat.Fuzz.csproj" -c Release -o "$work/bin" --nologo -v quiet >/dev/null
# Instrument the code under test (not the host, SharpFuzz or the BCL) for afl++'s coverage map.
for dll in E2eChat.Wire.dll E2eChat.dll E2eChat.Relay.dll E2eChat.Relay.Server.dll Google.Protobuf.dll; do
  (cd "$root" && dotnet tool run sharpfuzz "$work/bin/$dll" >/dev/null)
done

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls "$here/corpus"))
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
echo "| target | seconds | executions | exec/s | corpus | crashes | hangs |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for t in "${targets[@]}"; do
  rm -rf "$work/out/$t"; mkdir -p "$work/out"
  nice afl-fuzz -i "$here/corpus/$t" -o "$work/out/$t" -V "$seconds" -t 10000 -m none \
    -- "$(command -v dotnet)" "$work/bin/E2eChat.Fuzz.dll" "$t" >"$work/$t.log" 2>&1 || true
  stats="$work/out/$t/default/fuzzer_stats"
  if [ -f "$stats" ]; then
    get() { awk -F' *: *' -v k="$1" '$1==k {print $2}' "$stats"; }
    echo "| $t | $seconds | $(get execs_done) | $(get execs_per_sec) | $(get corpus_count) | $(get saved_crashes) | $(get saved_hangs) |"
  else
    echo "| $t | did not start (see $work/$t.log) | | | | | |"
  fi
done
