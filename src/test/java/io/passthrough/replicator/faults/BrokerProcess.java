package io.passthrough.replicator.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

/** `replicator broker` as its own JVM on a fixed port and data directory, so it can be killed and started again. */
final class BrokerProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final String topics;
    private int starts;
    private Jvm jvm;

    BrokerProcess(Path dir, String topics) {
        this.dir = dir;
        this.port = freePort();
        this.topics = topics;
    }

    BrokerProcess start() {
        starts++;
        jvm = Jvm.start(dir.resolve("broker-" + starts + ".log"), "broker", "--port", String.valueOf(port),
                "--data", dir.resolve("data").toString(), "--topics", topics);
        jvm.awaitLog("broker ready at", Duration.ofSeconds(90));
        return this;
    }

    /** kill -9 */
    void kill() {
        jvm.kill();
    }

    /** SIGTERM: a clean shutdown. */
    void stop() {
        jvm.terminate(Duration.ofSeconds(60));
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (jvm != null && jvm.isAlive()) {
            jvm.kill();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
