package io.passthrough.replicator.files;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.apache.camel.CamelContext;

/**
 * The replicator.file.copy-threads threads that copy a batch's data files (its completion markers follow, once every
 * data file before them is done), made at first use and shut down with their owner, the consumer or the producer.
 */
final class CopyThreads {

    private final CamelContext camel;
    private final Object owner;
    private final int threads;
    private ExecutorService pool;

    CopyThreads(CamelContext camel, Object owner, int threads) {
        this.camel = camel;
        this.owner = owner;
        this.threads = threads;
    }

    <R> Future<R> submit(Callable<R> copy) {
        return pool().submit(copy);
    }

    Future<?> submit(Runnable copy) {
        return pool().submit(copy);
    }

    private synchronized ExecutorService pool() {
        if (pool == null) {
            pool = camel.getExecutorServiceManager().newFixedThreadPool(owner, "file-copy", threads);
        }
        return pool;
    }

    synchronized void shutdown() {
        if (pool != null) {
            camel.getExecutorServiceManager().shutdown(pool);
            pool = null;
        }
    }
}
