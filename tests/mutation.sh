#!/usr/bin/env bash
# Mutation testing with Stryker.NET (the dotnet-stryker tool of .config/dotnet-tools.json), one
# configuration per folder: wire (src/E2eChat.Wire), relay-validator (src/E2eChat.Relay), ratchet
# (src/E2eChat/Ratchet), handshake (src/E2eChat/Handshake). Slow: never run in CI. Each run builds
# the project once per mutant batch and runs only the tests its config's test-case-filter selects,
# one at a time (concurrency 1: the machine is shared).
# Usage: tests/mutation.sh [config...]   (default: wire relay-validator ratchet handshake)
# Reports: StrykerOutput/<time>/reports/mutation-report.{html,json} under the mutated project's folder;
# the score per folder is printed at the end of each run ("The final mutation score is …").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && dotnet tool restore >/dev/null)
configs=("$@")
[ ${#configs[@]} -gt 0 ] || configs=(wire relay-validator ratchet handshake)
for c in "${configs[@]}"; do
  case "$c" in
    wire|wire-core|wire-codecs|wire-consent) dir=src/E2eChat.Wire ;;
    relay-validator) dir=src/E2eChat.Relay ;;
    ratchet|ratchet-parts|ratchet-state|handshake|ratchet-parts-handshake) dir=src/E2eChat ;;
    *) echo "unknown config: $c" >&2; exit 2 ;;
  esac
  echo "== $c ($dir)"
  (cd "$root/$dir" && nice dotnet tool run dotnet-stryker --config-file "$root/tests/mutation/$c.json") | tee "$root/tests/mutation/last-$c.log" | grep -E "final mutation score|Killed|Survived|Timeout|No coverage|error" || true
done
