#!/usr/bin/env bash
# Checks the published CLI (self-contained, trimmed, composite ReadyToRun: see ./dwarfsmith) against
# the untrimmed build of the same sources, command by command: the trimmer removes code it cannot see
# used, and a reflective use it missed would only show in the published binary.
# Prints one line per check and ends with "N passed, N failed". Exits non-zero when a check failed.
set -uo pipefail
cd "$(dirname "$0")/.."

built=src/Dwarfsmith.Cli/bin/Release/net10.0/dwarfsmith.dll
sample=src/Dwarfsmith.Cli/Sample/sample.wasm
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0

check() { # check NAME COMMAND...: passes when the command exits 0
  local name=$1
  shift
  if "$@" >"$scratch/log" 2>&1; then
    echo "published CLI: $name: passed"
    passed=$((passed + 1))
  else
    echo "published CLI: $name: FAILED"
    sed 's/^/    /' "$scratch/log" | tail -20
    failed=$((failed + 1))
  fi
}

same_output() { # same_output ARGS...: the published and the built CLI print the same
  ./dwarfsmith "$@" >"$scratch/published.out" 2>&1 || return 1
  dotnet "$built" "$@" >"$scratch/built.out" 2>&1 || return 1
  cmp "$scratch/published.out" "$scratch/built.out"
}

same_files() { # same_files COMMAND IN OPTION: the published and the built CLI write the same module
  local command=$1 input=$2
  shift 2
  ./dwarfsmith "$command" "$input" -o "$scratch/published.wasm" "$@" >/dev/null || return 1
  dotnet "$built" "$command" "$input" -o "$scratch/built.wasm" "$@" >/dev/null || return 1
  cmp "$scratch/published.wasm" "$scratch/built.wasm"
}

if [ ! -f "$built" ]; then
  echo "check-published-cli: $built is missing (run dotnet build first)" >&2
  exit 1
fi

check "publishes and starts" ./dwarfsmith --version
check "dwarf dump --json" same_output dwarf dump "$sample" --json
check "dwarf dump --info --line --loc --ranges" same_output dwarf dump "$sample" --info --line --loc --ranges
check "info --json" same_output info "$sample" --json
check "validate" same_output validate "$sample"
check "rewrite" same_files rewrite "$sample"
check "rewrite --dwarf-version 5" same_files rewrite "$sample" --dwarf-version 5
check "compact" same_files compact "$sample"
check "strip" same_files strip "$sample"
check "demo" ./dwarfsmith demo
check "spectest" ./dwarfsmith spectest ../shared/wasm-testsuite/i32.wast

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
