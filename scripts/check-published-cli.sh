#!/usr/bin/env bash
# Checks the published CLI (native code from Native AOT, built for net9.0: see ./dwarfsmith) against
# the JIT-compiled net10.0 build of the same sources, command by command: the AOT compiler removes
# code it cannot see used, a reflective use it missed would only show in the published binary, and
# the two are built on different .NET versions.
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
  rm -f "$scratch/published.wasm" "$scratch/built.wasm"
  ./dwarfsmith "$command" "$input" -o "$scratch/published.wasm" "$@" >/dev/null || return 1
  dotnet "$built" "$command" "$input" -o "$scratch/built.wasm" "$@" >/dev/null || return 1
  cmp "$scratch/published.wasm" "$scratch/built.wasm"
}

same_split() { # same_split COMMAND: both write the same module and the same debug file
  local command=$1 root=$PWD
  rm -rf "$scratch/published" "$scratch/built"
  mkdir -p "$scratch/published" "$scratch/built"
  # Run from the scratch folder: the module links its debug file by the relative path.
  (cd "$scratch/published" && "$root/dwarfsmith" "$command" "$root/$sample" -o out.wasm --debug-file out.debug.wasm) >/dev/null || return 1
  (cd "$scratch/built" && dotnet "$root/$built" "$command" "$root/$sample" -o out.wasm --debug-file out.debug.wasm) >/dev/null || return 1
  cmp "$scratch/published/out.wasm" "$scratch/built/out.wasm" &&
    cmp "$scratch/published/out.debug.wasm" "$scratch/built/out.debug.wasm"
}

failing="$scratch/failing/failed.wasm" # the output path the failure checks name (-o "$failing")

same_failure() { # same_failure CODE ARGS...: both exit with CODE, print the same, and write nothing
  local code=$1
  shift
  rm -rf "$scratch/failing" && mkdir "$scratch/failing"
  ./dwarfsmith "$@" >"$scratch/published.out" 2>&1
  [ $? -eq "$code" ] || return 1
  dotnet "$built" "$@" >"$scratch/built.out" 2>&1
  [ $? -eq "$code" ] || return 1
  # Nothing left behind, not even a temporary file beside the output.
  [ -z "$(ls -A "$scratch/failing")" ] && cmp "$scratch/published.out" "$scratch/built.out"
}

if [ ! -f "$built" ]; then
  echo "check-published-cli: $built is missing (run dotnet build first)" >&2
  exit 1
fi

check "publishes and starts" ./dwarfsmith --version
if [ "$failed" -ne 0 ]; then
  # Every further check would try to publish again, a minute or two each.
  echo "0 passed, 1 failed"
  exit 1
fi
check "dwarf dump --json" same_output dwarf dump "$sample" --json
check "dwarf dump --info --line --loc --ranges" same_output dwarf dump "$sample" --info --line --loc --ranges
check "info --json" same_output info "$sample" --json
check "validate" same_output validate "$sample"
check "rewrite" same_files rewrite "$sample"
check "rewrite --dwarf-version 5" same_files rewrite "$sample" --dwarf-version 5
check "compact" same_files compact "$sample"
check "strip" same_files strip "$sample"
check "split" same_split split
check "compact --debug-file" same_split compact
head -c 3000 "$sample" >"$scratch/truncated.wasm"
check "compact of a truncated module (exit 65)" same_failure 65 compact "$scratch/truncated.wasm" -o "$failing"
check "rewrite of a missing file (exit 66)" same_failure 66 rewrite "$scratch/missing.wasm" -o "$failing"
check "an unknown option (exit 64)" same_failure 64 compact "$sample" -o "$failing" --no-such-option
check "help" same_output compact --help
if gcc -g -O1 -o "$scratch/sample.elf" src/Dwarfsmith.Cli/Sample/sample.c 2>"$scratch/log"; then
  check "dwarf dump of an ELF file (gcc)" same_output dwarf dump "$scratch/sample.elf" --info --line --loc --ranges
fi
# Macro information: gcc -g3 shares macro units through imports (the dump expands them), clang does not.
if gcc -g3 -O1 -o "$scratch/sample-g3.elf" src/Dwarfsmith.Cli/Sample/sample.c 2>"$scratch/log"; then
  check "dwarf dump --macro of gcc -g3" same_output dwarf dump "$scratch/sample-g3.elf" --macro --json
fi
if command -v clang-22 >/dev/null && clang-22 -g -gdwarf-5 -fdebug-macro -o "$scratch/sample-macros.elf" src/Dwarfsmith.Cli/Sample/sample.c 2>"$scratch/log"; then
  check "dwarf dump --macro of clang -fdebug-macro" same_output dwarf dump "$scratch/sample-macros.elf" --macro
fi
check "run (no program arguments)" same_output run "$sample" --cc gcc
check "run (arguments, --env, --dir)" same_output run "$sample" --cc gcc --env A=B --env C=D --dir /tmp -- x y z
check "run (--env without =, exit 64)" same_failure 64 run "$sample" --cc gcc --env NOEQ
# coredump: a dump that the published CLI's own AOT runtime writes on a trap, read back by both.
trap_dump() {
  /usr/lib/llvm-22/bin/clang --target=wasm32-wasi -Wno-deprecated --sysroot=/usr --no-wasm-opt -g -O0 \
    -o "$scratch/divide.wasm" corpus/traps/divide.c 2>"$scratch/log" || return 1
  ./dwarfsmith run "$scratch/divide.wasm" --coredump-on-trap "$scratch/divide.core" >/dev/null 2>&1
  [ -f "$scratch/divide.core" ]
}
if [ -x /usr/lib/llvm-22/bin/clang ] && check "run --coredump-on-trap (writes the dump)" trap_dump && [ -f "$scratch/divide.core" ]; then
  check "coredump --json" same_output coredump "$scratch/divide.core" --json
  check "coredump print" same_output coredump "$scratch/divide.core" print '*&sharing_people'
  head -c 40 "$scratch/divide.core" >"$scratch/truncated.core"
  check "coredump of a truncated dump (exit 65)" same_failure 65 coredump "$scratch/truncated.core"
fi
check "demo" ./dwarfsmith demo
check "spectest" ./dwarfsmith spectest ../shared/wasm-testsuite/i32.wast

same_report() { # same_report ARGS...: the same --json report (exit 1 is a divergence found, not a failure)
  ./dwarfsmith "$@" --json >"$scratch/published.out" 2>/dev/null
  [ $? -le 1 ] || return 1
  dotnet "$built" "$@" --json >"$scratch/built.out" 2>/dev/null
  [ $? -le 1 ] || return 1
  cmp "$scratch/published.out" "$scratch/built.out"
}
if command -v gdb >/dev/null && command -v lldb-22 >/dev/null && command -v csmith >/dev/null; then
  check "debugtest (native against damaged native, gdb and lldb)" same_report debugtest --seeds 1-2 --engine native --damage swap-locals --steps 40
fi

# dwarfsmith lldb: the published binary finds its embedded extension, and lldb-22 imports it (its
# commands p, print and v are then user-defined).
lldb_extension_loads() {
  ./dwarfsmith aot "$sample" -o "$scratch/sample-g" -g -O0 >/dev/null || return 1
  ./dwarfsmith lldb -b -o "command script list" "$scratch/sample-g" >"$scratch/lldb.out" 2>&1 || return 1
  grep -q "^  v  *--" "$scratch/lldb.out" && ! grep -q "Traceback\|error:" "$scratch/lldb.out"
}
if command -v lldb-22 >/dev/null; then
  check "lldb (the extension loads)" lldb_extension_loads
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
