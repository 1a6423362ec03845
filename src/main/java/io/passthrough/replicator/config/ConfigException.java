package io.passthrough.replicator.config;

/** A configuration or start-up problem the user can fix; its message says what is wrong and what to do. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
