package io.passthrough.replicator.kafka;

import io.passthrough.replicator.broker.EmbeddedKafkaBroker;
import static io.passthrough.replicator.kafka.TestRecords.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.passthrough.replicator.cli.RunningReplicator;
import io.passthrough.replicator.cli.RunningReplicator.Result;
import io.passthrough.replicator.faults.Jvm;
import io.passthrough.replicator.verify.KafkaTopicVerifier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `replicator run kafka` against a broker that asks for SCRAM-SHA-512 logins and checks ACLs: the README's pass-through
 * settings work and the password is never printed; a refused login or ACL stops the start at once with one line naming
 * the settings or the ACL to fix; a target the ACLs do not let write is retried, nothing committed, until it may.
 */
class KafkaAuthenticationTest {

    private static final String USER = SaslBroker.USER;
    private static final String PASSWORD = SaslBroker.PASSWORD;
    /** A login that may do what its ACLs allow. */
    private static final String READER = "reader";
    private static final String READER_PASSWORD = "reader-password";

    @TempDir
    static Path data;

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = SaslBroker.start(data.resolve("broker"), Map.of(
                // clients of the PLAINTEXT listener (the test's own) and the README's user may do anything
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users", "User:ANONYMOUS;User:" + USER));
        SaslBroker.addUser(broker, READER, READER_PASSWORD);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    /** Run as its own JVM: its standard error is all a user sees, Kafka's log lines included. */
    @Test
    void should_exit_2_at_once_naming_the_source_credentials_when_the_password_is_wrong() throws IOException {
        broker.createTopic("wrong-password", 1);
        long started = System.nanoTime();

        Result run = Jvm.run(data, Duration.ofSeconds(120), runKafka("wrong-password", loginSettings("source", USER, "wrong")));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(refusedLogin("replicator.kafka.brokers", "replicator.kafka.source.*") + "\n");
        // not retried until replicator.kafka.startup-timeout-ms (30 s) as an unreachable cluster would be
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void should_exit_2_naming_the_target_credentials_and_commit_nothing_when_only_the_target_login_is_wrong() throws Exception {
        broker.createTopic("target-login", 1);
        TestRecords.write(broker.bootstrapServers(), List.of(new ProducerRecord<>("target-login", bytes("k"), bytes("v"))));

        Result run = RunningReplicator.execute(runKafka("target-login", loginSettings("source", USER, PASSWORD), loginSettings("target", USER, "wrong")));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).isEqualTo(refusedLogin("replicator.kafka.target-brokers", "replicator.kafka.target.*") + "\n");
        try (Admin admin = broker.admin()) {
            assertThat(admin.listConsumerGroupOffsets("target-login").partitionsToOffsetAndMetadata().get()).as("committed offsets").isEmpty();
            assertThat(admin.listTopics().names().get()).doesNotContain("target-login-replicated");
        }
    }

    /** A client that does not log in is not refused: the broker hangs up on it, so it looks like an unreachable one. */
    @Test
    void should_point_at_the_target_security_protocol_when_the_target_login_is_missing() {
        broker.createTopic("no-target-login", 1);
        List<String> settings = new ArrayList<>(loginSettings("source", USER, PASSWORD));
        settings.add("--replicator.kafka.startup-timeout-ms=2000");

        String err = RunningReplicator.errorWhileRetrying("cannot reach Kafka", runKafka("no-target-login", settings));

        assertThat(err).contains("error: cannot reach Kafka at " + broker.saslBootstrapServers() + " (replicator.kafka.target-brokers) within 2 s:"
                + " is the broker running, the address right, and security.protocol in replicator.kafka.target.* the one its listener"
                + " expects? retrying\n");
    }

    @Test
    void should_exit_2_naming_the_acl_the_target_login_lacks() throws Exception {
        broker.createTopic("acl-start", 1);
        broker.createTopic("acl-start-replicated", 1);
        allow(READER, ResourceType.TOPIC, "acl-start", AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);

        Result run = RunningReplicator.execute(runKafka("acl-start",
                loginSettings("source", READER, READER_PASSWORD), loginSettings("target", READER, READER_PASSWORD)));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: the login given in replicator.kafka.target.* may not DESCRIBE topic acl-start-replicated"
                + " (Topic authorization failed.): grant it that ACL, or give the login of a user that has it\n");
    }

    @Test
    void should_exit_2_naming_the_acls_the_offset_map_needs() throws Exception {
        broker.createTopic("acl-syncs", 1);
        broker.createTopic("acl-syncs-replicated", 1);
        allow(READER, ResourceType.TOPIC, "acl-syncs", AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);
        allow(READER, ResourceType.GROUP, "acl-syncs", AclOperation.READ);
        allow(READER, ResourceType.TOPIC, "acl-syncs-replicated", AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.WRITE);

        // a map topic of its own: another test here lets the login create the default one
        Result run = RunningReplicator.execute(runKafka("acl-syncs",
                loginSettings("source", READER, READER_PASSWORD), loginSettings("target", READER, READER_PASSWORD),
                List.of("--replicator.kafka.offset-syncs-topic=acl-syncs-map", "--camel.main.duration-max-idle-seconds=3")));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: the login given in replicator.kafka.target.* may not create topic acl-syncs-map"
                + " for the offset map (Authorization failed.): grant it DESCRIBE, CREATE and WRITE on it, create it yourself, or set"
                + " replicator.kafka.offset-syncs=false\n");
    }

    /**
     * The login passes the start-up checks but may not write the target: every batch fails on one line and nothing is
     * committed, until the ACL is granted; then the replication goes on by itself.
     */
    @Test
    void should_report_each_refused_batch_commit_nothing_and_go_on_once_the_target_acl_is_granted() throws Exception {
        broker.createTopic("acl", 1);
        broker.createTopic("acl-replicated", 1);
        TestRecords.write(broker.bootstrapServers(), List.of(new ProducerRecord<>("acl", bytes("k"), bytes("v"))));
        allow(READER, ResourceType.TOPIC, "acl", AclOperation.READ, AclOperation.DESCRIBE_CONFIGS);
        allow(READER, ResourceType.GROUP, "acl", AclOperation.READ);
        allow(READER, ResourceType.TOPIC, "acl-replicated", AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        // WRITE on the offset map's topic also lets the producer start (idempotent writes): the refusal is the target topic's
        allow(READER, ResourceType.TOPIC, "passthrough-replicator-offset-syncs", AclOperation.DESCRIBE, AclOperation.CREATE, AclOperation.WRITE);

        Jvm replicator = Jvm.start(data.resolve("acl.log"), runKafka("acl",
                loginSettings("source", READER, READER_PASSWORD), loginSettings("target", READER, READER_PASSWORD)));
        try (Admin admin = broker.admin()) {
            replicator.awaitLog("it is read and sent again in 2 s", Duration.ofSeconds(120));
            assertThat(replicator.logText()).contains("ERROR ReplicationCommit - replicating a batch of 1 record(s) failed:"
                    + " TopicAuthorizationException: Not authorized to access topics: [acl-replicated]. Nothing of it is committed; it is read and sent again"
                    + " in 1 s (the login given in replicator.kafka.target.* may not write to the target: grant it WRITE on the target"
                    + " topic, and with exactly-once on its transactional id)\n");
            assertThat(admin.listConsumerGroupOffsets("acl").partitionsToOffsetAndMetadata().get()).as("committed offsets").isEmpty();
            assertThat(TestRecords.readAll(broker.bootstrapServers(), "acl-replicated", "read_uncommitted")).isEmpty();

            allow(READER, ResourceType.TOPIC, "acl-replicated", AclOperation.WRITE);

            await().atMost(Duration.ofSeconds(60)).until(() -> admin.listConsumerGroupOffsets("acl").partitionsToOffsetAndMetadata().get()
                    .get(new TopicPartition("acl", 0)), committed -> committed != null && committed.offset() == 1);
        } finally {
            replicator.terminate(Duration.ofSeconds(60));
        }
        assertThat(TestRecords.readAll(broker.bootstrapServers(), "acl-replicated", "read_uncommitted")).hasSize(1);
    }

    /**
     * The README's example as written there, but for the address and SASL_PLAINTEXT for SASL_SSL (the test broker has
     * no TLS); run as its own JVM so that every line it prints, logs included, is searched for the password.
     */
    @Test
    void should_replicate_exactly_with_the_readme_sasl_settings_and_never_print_the_password() throws Exception {
        broker.createTopic("sasl", 2);
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("seq", bytes(Integer.toString(i)));
            sent.add(new ProducerRecord<>("sasl", i % 2, 1_700_000_000_000L + i, i % 10 == 0 ? null : bytes("k" + i), bytes("v" + i), headers));
        }
        TestRecords.write(broker.bootstrapServers(), sent);
        Path config = SaslBroker.readmeConfig(broker, data.resolve("application.properties"), PASSWORD);

        Result run = Jvm.run(data, Duration.ofSeconds(180), "run", "kafka", "--config", config.toString(),
                "--replicator.kafka.source-topic=sasl", "--replicator.kafka.target-topic=sasl-replicated",
                "--replicator.kafka.group-id=sasl", "--camel.main.duration-max-idle-seconds=3");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("replicator.kafka.source.sasl.jaas.config = xxxxxx  (" + config + ")",
                "replicator.kafka.target.sasl.jaas.config = xxxxxx  (" + config + ")");
        assertThat(run.out() + run.err()).doesNotContain(PASSWORD);
        KafkaTopicVerifier.Result verified = new KafkaTopicVerifier(login(USER, PASSWORD), login(USER, PASSWORD), "read_committed", 20,
                KafkaTopicVerifier.DEFAULT_WINDOW).verify("sasl", "sasl-replicated");
        assertThat(verified.summary()).isEqualTo("sasl -> sasl-replicated: 2 partitions, 100 records compared, 0 missing, 0 extra,"
                + " 0 reordered, 0 different: IDENTICAL");
    }

    private static String refusedLogin(String brokersKey, String clientSettings) {
        return SaslBroker.refusedLogin(broker, brokersKey, clientSettings);
    }

    /** `replicator run kafka` from TOPIC to TOPIC-replicated on the broker's SASL listener, with the given settings. */
    @SafeVarargs
    private static String[] runKafka(String topic, List<String>... settings) {
        List<String> args = new ArrayList<>(List.of("run", "kafka", "--replicator.kafka.brokers=" + broker.saslBootstrapServers(),
                "--replicator.kafka.source-topic=" + topic, "--replicator.kafka.target-topic=" + topic + "-replicated",
                "--replicator.kafka.group-id=" + topic));
        Stream.of(settings).forEach(args::addAll);
        return args.toArray(String[]::new);
    }

    /** The README's settings for one side (source or target) of `replicator run kafka`, on SASL_PLAINTEXT. */
    private static List<String> loginSettings(String side, String user, String password) {
        String prefix = "--replicator.kafka." + side + ".";
        return List.of(prefix + "security.protocol=SASL_PLAINTEXT", prefix + "sasl.mechanism=SCRAM-SHA-512",
                prefix + "sasl.jaas.config=" + SaslBroker.jaas(user, password));
    }

    /** Grants the user the operations on the resource (an ACL each). */
    private static void allow(String user, ResourceType type, String name, AclOperation... operations) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createAcls(Stream.of(operations).map(operation -> new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
                    new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW))).toList()).all().get();
        }
    }

    private static Map<String, String> login(String user, String password) {
        return SaslBroker.login(broker, user, password);
    }
}
