#!/usr/bin/env bash
# Rebuilds the demo's embedded sample module from src/Dwarfsmith.Cli/Sample/sample.c.
# The debug prefix map keeps the build machine's paths out of the DWARF, so rebuilds are reproducible.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/src/Dwarfsmith.Cli/Sample"
/usr/lib/llvm-22/bin/clang --target=wasm32-wasi -Wno-deprecated --sysroot=/usr --no-wasm-opt \
    -g -O0 -fdebug-prefix-map="$PWD"=/sample -o sample.wasm sample.c
echo "wrote $PWD/sample.wasm ($(stat -c %s sample.wasm) bytes)"
