#!/usr/bin/env bash
# Runs one benchmark: bench/run.sh NAME [--runs N]. Each reports its ratio against an anchor tool.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-toolchain.sh"
exec dotnet run -c Release --project "$root/bench/Dwarfsmith.Bench" -- "$@"
