#!/usr/bin/env bash
# Runs deploy-bench's JMH microbenchmarks (io.ortune.bench.jmh: tensor marshalling, sampling, tokenizer).
# Usage, from anywhere:  tools/run-jmh.sh [JMH options, e.g. SamplingBenchmark -f 1 -wi 2 -i 3]
# Compiles the test sources (offline, no install), then starts org.openjdk.jmh.Main on the test classpath.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CP_FILE="$ROOT/deploy-bench/target/jmh-classpath.txt"
(cd "$ROOT" && mvn -B -q -ntp -o -pl deploy-bench -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/jmh-classpath.txt -Dmdep.includeScope=test) >&2
CP="$ROOT/deploy-bench/target/test-classes:$ROOT/deploy-bench/target/classes:$(cat "$CP_FILE")"
exec java -Dortune.root="$ROOT" -cp "$CP" org.openjdk.jmh.Main "$@"
