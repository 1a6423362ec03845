#!/usr/bin/env bash
# The Kafka benchmark: raw client copy loop, the shipped route (at-least-once, exactly-once) and MirrorMaker 2
# (dedicated mode, both guarantees) on one embedded broker, the same data, N rounds. Builds first (tests skipped),
# fetches MirrorMaker 2 into target/bench-lib (bench/pom.xml, benchmark only), compiles bench/*.java, then runs
# KafkaBench; arguments pass through, e.g.
#   bench/kafka.sh --records 200000 --rounds 2 --set replicator.kafka.batch-size=5000
#   bench/kafka.sh latency --rates 1000,10000 --seconds 10     # end-to-end latency at a steady rate (LatencyBench)
# Not part of `./mvnw verify`: it is a measurement, not a test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  ./mvnw -B -q -DskipTests package >&2
  [ -f target/bench-lib/connect-mirror-4.3.1.jar ] || ./mvnw -B -q -f bench/pom.xml dependency:copy-dependencies >&2
  rm -rf target/bench-classes
  javac -nowarn -d target/bench-classes -cp "target/classes:target/lib/*" bench/*.java >&2
fi
main=KafkaBench
if [ "${1:-}" = "latency" ]; then
  main=LatencyBench
  shift
fi
# --topics N [--partitions P] [--records R] [--scale]: the many-topic figures of issue 9 (bench/KafkaTopicsBench.java)
if [ "${1:-}" = "--topics" ]; then
  main=KafkaTopicsBench
fi
exec java ${JAVA_OPTS:--Xmx2g} -Dreplicator.home="$PWD" -cp "target/bench-classes:target/classes:target/lib/*" "$main" "$@"
