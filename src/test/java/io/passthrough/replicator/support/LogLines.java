package io.passthrough.replicator.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * The lines one class logs while a test runs, as the console shows them without the time:
 * {@code WARN FailedFiles - /data/in/x.bin vanished from input …}. Close it to stop listening.
 */
public final class LogLines implements AutoCloseable {

    private final LoggerContext context;
    private final AbstractAppender appender;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogLines(Class<?> source) {
        context = ((Logger) LogManager.getLogger(source)).getContext();
        appender = new AbstractAppender("test-" + source.getSimpleName(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                if (event.getLoggerName().equals(source.getName())) {
                    lines.add(event.getLevel() + " " + source.getSimpleName() + " - " + event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        // beside the console appender of the root logger, so the lines still reach the console
        context.getConfiguration().getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    public static LogLines of(Class<?> source) {
        return new LogLines(source);
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits until a line equal to {@code line} is logged, and returns it. */
    public String awaitLine(String line, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThat(lines).contains(line));
        return line;
    }

    @Override
    public void close() {
        context.getConfiguration().getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
