package io.passthrough.replicator.files;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Phaser;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;

/**
 * The replicator.file.copy-threads threads of a file consumer: the batches of a pass (a directory's entries each) are
 * copied on them side by side, the scanning thread taking its turn when all are busy, so at most that many batches
 * are copied at once and the scan holds one more. Batches of different directories: creating and renaming files takes
 * their directory's lock, so the data files of one directory would wait for each other on several threads.
 */
final class CopyThreads {

    private final CamelContext camel;
    private final Object owner;
    private final int threads;
    /** Threads free beside the caller's. */
    private final Semaphore free;
    /** One party per task handed to a thread (and one for the caller). */
    private final Phaser running = new Phaser(1);
    private final AtomicInteger copying = new AtomicInteger();
    private volatile int mostAtOnce;
    private ExecutorService pool;

    CopyThreads(CamelContext camel, Object owner, int threads) {
        this.camel = camel;
        this.owner = owner;
        this.threads = threads;
        this.free = new Semaphore(Math.max(0, threads - 1));
    }

    <R> Future<R> submit(Callable<R> copy) {
        return pool().submit(copy);
    }

    /** Runs the copy on a free thread, or on the caller's when none is free. */
    void runOrHandOver(Runnable copy) {
        if (!free.tryAcquire()) {
            counted(copy);
            return;
        }
        running.register();
        try {
            pool().execute(() -> {
                try {
                    counted(copy);
                } finally {
                    free.release();
                    running.arriveAndDeregister();
                }
            });
        } catch (RuntimeException e) {
            free.release();
            running.arriveAndDeregister();
            throw e;
        }
    }

    private void counted(Runnable copy) {
        int now = copying.incrementAndGet();
        if (now > mostAtOnce) {
            mostAtOnce = now; // a statistic: a lost race between two threads costs nothing
        }
        try {
            copy.run();
        } finally {
            copying.decrementAndGet();
        }
    }

    /** The most batches copied at once so far. */
    int mostAtOnce() {
        return mostAtOnce;
    }

    /** Waits until every copy handed to a thread is done (a pass ends only when all its copies have). */
    void awaitAll() {
        running.arriveAndAwaitAdvance();
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
