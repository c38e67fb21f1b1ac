#!/bin/bash
# The stagegate benchmark, one command: bench/run.sh [--quick] [options]; see bench/README.md.
#
#   --quick          fewer runs (1 warm-up, 5 timed per side) and shorter JMH runs
#   --jar PATH       time this stagegate jar instead of building one
#   --no-build       time the jar of the last build (cli/target-bench/stagegate.jar)
#   --no-jmh         skip the JMH microbenchmarks
#   --sizes LIST     reference repositories to use, default 10k,100k,1m
#   --shapes LIST    repository shapes, default apps,clusters (bench/README.md: "Two shapes")
#   --runs N, --warmup N
#                    timed and warm-up runs per side
#   --no-results-md  print and save the JSON, but leave bench/RESULTS.md alone
#   --validate-only  only the two validate scenarios (no repositories, hooks, diagnostics, JMH)
#   --validate-files N
#                    values files per validate scenario (default 10000; fewer to try it out)
#   --idle-wait S    before each scenario, wait up to S seconds (default 300) for the CPUs to
#                    go idle, since other work skews the timings; 0 never waits
#
# The jars are built into target-bench/ directories (-Dstagegate.buildDir), so a build here
# never races a ./mvnw build in target/. Tests are compiled (cli's tests use validator-core's
# test jar, which Maven cannot resolve when -Dmaven.test.skip leaves it unbuilt) but not run.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd -P)
root=$(dirname "$bench")
build_dir=target-bench
jar=
build=1
jmh=1
pass=()
while [ $# -gt 0 ]; do
  case $1 in
    --jar) jar=$(cd "$(dirname "$2")" && pwd -P)/$(basename "$2"); build=0; shift 2 ;;
    --no-build) build=0; shift ;;
    --no-jmh) jmh=0; shift ;;
    --quick|--no-results-md) pass+=("$1"); shift ;;
    --validate-only) pass+=("$1"); jmh=0; shift ;;
    --sizes|--shapes|--runs|--warmup|--idle-wait|--validate-files) pass+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

for tool in git java python3 npm; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is required" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time is required (apt-get install time)" >&2; exit 2; }
mkdir -p "$bench/cache"
echo "disk: $(df -h "$bench/cache" | awk 'NR==2 {print $4 " free on " $6}')"

if [ -z "$jar" ]; then
  jar=$root/cli/$build_dir/stagegate.jar
fi
if [ $build = 1 ]; then
  echo "building $jar ..."
  (cd "$root" && ./mvnw -q -B -DskipTests -Dstagegate.buildDir=$build_dir -pl cli -am package)
fi
[ -f "$jar" ] || { echo "run.sh: no jar at $jar" >&2; exit 2; }

jmh_jar=
if [ $jmh = 1 ]; then
  echo "building the JMH benchmarks ..."
  if (cd "$root" && ./mvnw -q -B -Dmaven.test.skip=true -Dstagegate.buildDir=$build_dir -f bench/pom.xml \
        -pl :stagegate-bench-jmh -am package); then
    jmh_jar=$bench/jmh/$build_dir/benchmarks.jar
  else
    echo "run.sh: the JMH benchmarks did not build (an API they call changed?); going on without them" >&2
  fi
fi

if [ ! -x "$bench/node_modules/.bin/ajv" ]; then
  echo "installing ajv-cli into bench/node_modules ..."
  (cd "$bench" && npm ci --no-audit --no-fund --loglevel=error)
fi

exec python3 "$bench/bench.py" --jar "$jar" ${jmh_jar:+--jmh-jar "$jmh_jar"} "${pass[@]+"${pass[@]}"}"
