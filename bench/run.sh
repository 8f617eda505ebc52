#!/usr/bin/env bash
# Runs the benchmarks beside their baselines against PostgreSQL, in one JVM.
#   bench/run.sh [all|launch|lag|commands|replay]                control plane (all = these four)
#   bench/run.sh terminal [all|echo|throughput|fairness|memory]  terminals through the whole chain (several: echo,throughput)
#     (echo types for RDE_BENCH_ECHO_WARMUP_SECONDS, default 60, before measuring: a compiled chain; 0: cold;
#      throughput streams for RDE_BENCH_THROUGHPUT_WARMUP_SECONDS, default 60, and on while a run still costs the JIT 0.5 s,
#      then measures RDE_BENCH_THROUGHPUT_RUNS, default 5)
#   bench/run.sh preview [all|small|bulk|hold]                   preview proxy: direct, portal chain, single-hop proxy, ssh -R
#     (warms every path up for RDE_BENCH_WARMUP_SECONDS, default 30, and the chain on while a 10 s window costs its JIT 0.5 s)
#   bench/run.sh audit [all|replay|export|verify|access]         audit chain, export, verify, time travel over 1M events (RDE_BENCH_AUDIT_EVENTS)
#   bench/run.sh jmh [JMH options]                               JMH microbenchmarks (the agent's libc binding), with -prof gc;
#     defaults 2 forks, 5 warm-up and 5 measurement iterations of 1 s, 1 thread: e.g. -f 1 -wi 3 -i 3, or a regex to pick
# Needs a PostgreSQL role that may create databases: RDE_TEST_DATABASE_URL/_USER/_PASSWORD
# (bash .ci/run sets up one on the local server), and python3 for the sample workspace app.
# preview needs none of that (the portal runs as java -jar on embedded H2) but wrk, curl and
# OpenSSH: apt-get install -y wrk curl openssh-server openssh-client.
# RDE_BENCH_SKIP_BUILD=1 uses the modules as installed (the bench itself is always compiled);
# RDE_BENCH_MAVEN_ARGS adds arguments to every Maven call, e.g. "-o -Dmaven.repo.local=$HOME/.m2-bench"
# to keep to a local repository of one's own.
set -euo pipefail
cd "$(dirname "$0")/.."
export RDE_TEST_DATABASE_URL=${RDE_TEST_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/rde}
export RDE_TEST_DATABASE_USER=${RDE_TEST_DATABASE_USER:-rde}
export RDE_TEST_DATABASE_PASSWORD=${RDE_TEST_DATABASE_PASSWORD:-rde}
read -r -a maven_args <<< "${RDE_BENCH_MAVEN_ARGS:-}"
if [[ -z "${RDE_BENCH_SKIP_BUILD:-}" ]]; then
  ./mvnw -B -q "${maven_args[@]}" install -DskipTests
fi
cd bench
if [[ "${1:-all}" == jmh ]]; then
  ../mvnw -B -q "${maven_args[@]}" compile exec:exec -Dbench.main=dev.rdeportal.bench.JmhBench -Dbench="${*:2}"
elif [[ "${1:-all}" == audit ]]; then
  ../mvnw -B -q "${maven_args[@]}" compile exec:exec -Dbench.main=dev.rdeportal.bench.AuditBench -Dbench="${2:-all}"
elif [[ "${1:-all}" == preview ]]; then
  ../mvnw -B -q "${maven_args[@]}" compile exec:exec -Dbench.main=dev.rdeportal.bench.PreviewBench -Dbench="${2:-all}"
elif [[ "${1:-all}" == terminal ]]; then
  ../mvnw -B -q "${maven_args[@]}" compile exec:exec -Dbench.main=dev.rdeportal.bench.TerminalBench -Dbench="${2:-all}"
else
  ../mvnw -B -q "${maven_args[@]}" compile exec:exec -Dbench="${1:-all}"
fi
