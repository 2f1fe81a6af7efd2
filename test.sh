#!/usr/bin/env bash
# Installs the toolchain, builds the solution, runs every test project, prints any reports tests left
# under artifacts/reports/, and ends with one line: "N passed, N failed, N skipped".
# Exits non-zero when the build or any test failed.
set -uo pipefail
cd "$(dirname "$0")"

CONFIGURATION=Release
RESULTS=artifacts/test-results
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

summary() {
  echo
  echo "$1 passed, $2 failed, $3 skipped"
}

start=$SECONDS
if ! scripts/install-toolchain.sh; then
  echo "test.sh: installing the toolchain failed" >&2
  summary 0 0 0
  exit 1
fi

rm -rf artifacts/reports "$RESULTS"
mkdir -p artifacts/reports "$RESULTS"

echo "== dotnet build ($CONFIGURATION)"
if ! dotnet build Dwarfsmith.slnx -c "$CONFIGURATION" -nologo -clp:NoSummary -v:quiet; then
  echo "test.sh: BUILD FAILED" >&2
  summary 0 0 0
  exit 1
fi
echo "build: $((SECONDS - start)) s"

# Test projects: those in the solution that say <IsTestProject>true</IsTestProject>.
projects=()
while IFS= read -r path; do
  if grep -q '<IsTestProject>true</IsTestProject>' "$path"; then
    projects+=("$path")
  fi
done < <(grep -o 'Project Path="[^"]*"' Dwarfsmith.slnx | sed 's/^Project Path="//; s/"$//')

attr() { # attr NAME "<Counters ...>" -> value (0 when absent)
  local value
  value=$(sed -n "s/.* $1=\"\\([0-9]*\\)\".*/\\1/p" <<<"$2")
  echo "${value:-0}"
}

# Long tests (SQLite through the AOT engine, most Csmith seeds) run only when asked for.
filter=(--filter "Category!=Long")
if [ "${DWARFSMITH_LONG_TESTS:-0}" = 1 ]; then
  filter=()
fi

# One job: a test project, or the published CLI's checks. Each writes its output to a log, printed
# whole when it ends (jobs run side by side), and its counts to NAME.counts: "passed failed skipped".
run_project() {
  local project=$1 name t0=$SECONDS
  name=$(basename "$project" .csproj)
  local log="$RESULTS/$name.log"
  dotnet test "$project" -c "$CONFIGURATION" --no-build -nologo "${filter[@]}" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" \
    --blame-hang-timeout 10m --blame-hang-dump-type none >"$log" 2>&1
  local code=$? trx="$RESULTS/$name.trx" p=0 f=0 s=0
  if [ -f "$trx" ]; then
    local counters
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    p=$(attr passed "$counters")
    f=$(( $(attr failed "$counters") + $(attr error "$counters") + $(attr timeout "$counters") + $(attr aborted "$counters") ))
    # xunit's skipped tests are counted in total but not in executed (notExecuted stays 0).
    s=$(( $(attr total "$counters") - $(attr executed "$counters") ))
    [ "$s" -lt 0 ] && s=0
  fi
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "test.sh: $name: dotnet test exited $code without a failed test (crash or hang?); counting one failure" >>"$log"
    f=1
  fi
  echo "$p $f $s" >"$RESULTS/$name.counts"
  flock "$RESULTS/.print" sh -c "echo '== dotnet test $name'; cat '$log'; echo '$name: $p passed, $f failed, $s skipped ($((SECONDS - t0)) s)'"
}

# The published CLI (native code) against the build, command by command.
run_published_cli() {
  local t0=$SECONDS log="$RESULTS/published-cli.log" p=0 f=1
  scripts/check-published-cli.sh >"$log" 2>&1
  if [[ "$(tail -n 1 "$log")" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
  else
    echo "test.sh: the published CLI's checks did not finish" >>"$log"
  fi
  echo "$p $f 0" >"$RESULTS/published-cli.counts"
  flock "$RESULTS/.print" sh -c "echo '== published CLI'; cat '$log'; echo 'published CLI: $p passed, $f failed ($((SECONDS - t0)) s)'"
}

# The longest first, so that two at a time finish together: the machines this runs on have two
# cores, and one project alone leaves one idle for minutes (long theories run their cases in turn).
ordered=()
for heavy in Aot PostLink Dwarf Dwarf.Transform; do
  for project in "${projects[@]}"; do
    [ "$(basename "$project" .csproj)" = "Dwarfsmith.$heavy.Tests" ] && ordered+=("$project")
  done
done
for project in "${projects[@]}"; do
  [[ " ${ordered[*]} " == *" $project "* ]] || ordered+=("$project")
done

jobs_at_once=${DWARFSMITH_TEST_JOBS:-2}
run_published_cli &
for project in "${ordered[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs_at_once" ]; do
    wait -n
  done
  run_project "$project" &
done
wait

passed=0 failed=0 skipped=0 status=0
for counts in "$RESULTS"/*.counts; do
  read -r p f s <"$counts"
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
done
[ "$failed" -ne 0 ] && status=1
expected_jobs=$(( ${#projects[@]} + 1 ))
if [ "$(ls "$RESULTS"/*.counts | wc -l)" -ne "$expected_jobs" ]; then
  echo "test.sh: a test job ended without its counts" >&2
  failed=$((failed + 1)) status=1
fi

if [ ${#projects[@]} -eq 0 ]; then
  echo "test.sh: no test projects found in Dwarfsmith.slnx" >&2
  status=1
fi

shopt -s nullglob
for report in artifacts/reports/*; do
  [ -f "$report" ] || continue
  echo
  echo "== report: ${report#artifacts/reports/}"
  cat "$report"
done

if [ "$skipped" -ne 0 ]; then
  echo
  echo "== skipped, and why"
  scripts/skip-reasons.py "$RESULTS"/*.trx
fi

echo
echo "total time: $((SECONDS - start)) s"
summary "$passed" "$failed" "$skipped"
exit "$status"
