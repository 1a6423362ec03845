package io.passthrough.replicator.kafka;

import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The target's value serializer: bytes as they are. It is a class of its own only so that camel-kafka, which
 * converts bodies for the four standard serializer names, passes the consumed record through to
 * {@link ReplicationProducer} untouched.
 */
public class SourceRecordSerializer extends ByteArraySerializer {
}
