package io.passthrough.replicator.cli;

import org.slf4j.LoggerFactory;

/**
 * Starts the logging system on a second thread while the main one builds picocli's model of the command: Log4j's
 * start (its plugins, configuration factories and the log4j2.properties) and that model take a fifth of a short run's
 * start each, one after the other. The command runs only after {@link #awaitLogging}: a line logged while Log4j is
 * still reading its configuration goes through its default one, which drops everything below ERROR (seen: the INFO
 * line of the temporary files a killed run left was missing).
 */
final class StartupWarmUp {

    private static Thread logging;

    private StartupWarmUp() {
    }

    static void start() {
        logging = new Thread(() -> LoggerFactory.getLogger(StartupWarmUp.class), "startup-logging");
        logging.setDaemon(true);
        logging.start();
    }

    /** Waits until the logging system has read its configuration (started by {@link #start}). */
    static void awaitLogging() {
        if (logging == null) {
            return;
        }
        try {
            logging.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logging = null;
    }
}
