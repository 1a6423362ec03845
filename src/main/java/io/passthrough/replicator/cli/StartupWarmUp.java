package io.passthrough.replicator.cli;

import org.slf4j.LoggerFactory;

/**
 * Starts the logging system on a second thread while the main one reads the command line: Log4j's start (its
 * plugins, configuration factories and the log4j2.properties) and picocli's model of the command take a fifth of a
 * short run's start each, one after the other, and a one-shot run of a small tree is mostly its start. The first line
 * logged waits for it, as it would have started it.
 */
final class StartupWarmUp {

    private StartupWarmUp() {
    }

    static void start() {
        Thread logging = new Thread(() -> LoggerFactory.getLogger(StartupWarmUp.class), "startup-logging");
        logging.setDaemon(true);
        logging.start();
    }
}
