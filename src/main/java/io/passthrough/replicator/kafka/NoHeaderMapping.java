package io.passthrough.replicator.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * Turns off camel-kafka's mapping between Kafka record headers and Camel headers, which is lossy (it merges
 * duplicates and case variants, drops null values and names starting with Camel or kafka.). The record's own
 * headers travel with it instead (see {@link ReplicationConsumer}).
 */
public class NoHeaderMapping implements HeaderFilterStrategy {

    @Override
    public boolean applyFilterToCamelHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }

    @Override
    public boolean applyFilterToExternalHeaders(String headerName, Object headerValue, Exchange exchange) {
        return true;
    }
}
