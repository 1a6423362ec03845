#!/usr/bin/env bash
# The Kafka benchmark: raw client copy loop vs the shipped route (at-least-once, exactly-once), one embedded broker,
# the same data. Builds first (tests skipped), then runs bench/KafkaBench.java; arguments pass through, e.g.
#   bench/kafka.sh --records 200000 --set replicator.kafka.batch-size=5000
# Not part of `./mvnw verify`: it is a measurement, not a test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${BENCH_SKIP_BUILD:-}" != "1" ]; then
  ./mvnw -B -q -DskipTests package >&2
fi
# --topics N [--partitions P] [--records R] [--scale]: the many-topic figures (issue 9), bench/KafkaTopicsBench.java
if [ "${1:-}" = "--topics" ]; then
  exec java ${JAVA_OPTS:--Xmx2g} -Dreplicator.home="$PWD" -cp "target/classes:target/lib/*" bench/KafkaTopicsBench.java "$@"
fi
exec java ${JAVA_OPTS:--Xmx2g} -Dreplicator.home="$PWD" -cp "target/classes:target/lib/*" bench/KafkaBench.java "$@"
