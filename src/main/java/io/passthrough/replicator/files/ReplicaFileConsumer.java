package io.passthrough.replicator.files;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.file.FileConsumer;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.GenericFileProcessStrategy;

/**
 * Camel's polling file consumer (filter, sorter, max messages per poll, completion) whose scan is one {@link TreeScan},
 * copied as it goes (one batch at a time, never the whole tree in memory):
 * every entry is offered to the filter, hidden or not, `.camel` and `*.camelLock` included; directories and links are
 * entries too. What cannot be replicated is reported to {@link FailedFiles} once and listed at exit. The shipped route
 * (`file:` to `file:`, then fileSource) gets one exchange per batch ({@link FileBatch}): Camel's work per exchange was
 * most of the copy time of small files. A route with steps of its own gets one exchange per file, as they expect.
 */
class ReplicaFileConsumer extends FileConsumer {

    /** The most entries a pass holds before copying them (memory is bounded by it, not by the tree). */
    static final int BATCH = 1000;

    private final ReplicaFileEndpoint endpoint;
    private final FileReplicationConfig config;
    private final FailedFiles failedFiles;
    private final FilePass pass;
    private FileWatch watch;
    private volatile int largestBatch;
    private volatile long scans;
    private final CopyThreads copiers;
    private Boolean batches;

    ReplicaFileConsumer(ReplicaFileEndpoint endpoint, Processor processor, GenericFileOperations<File> operations,
            GenericFileProcessStrategy<File> strategy, FileReplicationConfig config, FailedFiles failedFiles, FilePass pass) {
        super(endpoint, processor, operations, strategy);
        this.endpoint = endpoint;
        this.config = config;
        this.failedFiles = failedFiles;
        this.pass = pass;
        this.copiers = new CopyThreads(endpoint.getCamelContext(), this, config.copyThreads());
    }

    /**
     * One pass: the scan streams its entries to the copy in batches (a directory's entries, at most {@link #BATCH}), so
     * memory holds one batch, not the tree; then what {@link FilePass} does after it (deletions, the end of --once).
     * Skipped while change events say the tree is as the last clean scan left it ({@link FileWatch}).
     */
    @Override
    protected int poll() throws Exception {
        if (!prepareOnStartup) {
            processStrategy.prepareOnStartup(operations, endpoint);
            prepareOnStartup = true;
        }
        FileWatch watching = watch;
        if (watching == null) {
            watching = pass != null && pass.once() ? new FileWatch(null, 0) : FileWatch.of(config.fullScanMs());
            watch = watching;
        }
        if (!watching.scanDue()) {
            return 0;
        }
        if (batches == null) {
            batches = ShippedRoute.is(getEndpoint().getCamelContext(), getRouteId());
        }
        scans++;
        FileQuickCheck quickCheck = (FileQuickCheck) endpoint.getFilter();
        quickCheck.startScan();
        Pass scan = new Pass(quickCheck, watching);
        scan.run();
        boolean complete = !scan.stopped();
        if (isRunAllowed() && !isSuspended()) {
            watching.scanned(complete && scan.published == 0 && quickCheck.settling() == 0 && quickCheck.held() == 0
                    && !failedFiles.anyRetrying());
            if (pass != null) {
                pass.afterScan(scan.published, quickCheck.settling(), quickCheck.held(), complete);
            }
        }
        return scan.published;
    }

    /** True once a poll found the route to be the shipped one (one exchange per batch), false for one per file. */
    boolean batches() {
        return Boolean.TRUE.equals(batches);
    }

    /** How many scans of the tree this consumer has made (a poll that change events let skip its scan is not one). */
    long scans() {
        return scans;
    }

    /** The most entries a pass of this consumer has held at once (at most {@link #BATCH} in name order). */
    int largestBatch() {
        return largestBatch;
    }

    /** The most batches this consumer has copied at once (replicator.file.copy-threads). */
    int mostBatchesAtOnce() {
        return copiers.mostAtOnce();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        copiers.shutdown();
        if (watch != null) {
            watch.close();
            watch = null;
        }
    }

    /** One walk of the tree, its accepted entries copied batch by batch as it goes. */
    private final class Pass implements TreeScan.Visitor {
        private final GenericFileFilter<File> filter;
        private final FileWatch watching;
        private final FileMonitoring monitoring = getEndpoint().getCamelContext().getRegistry()
                .lookupByNameAndType(FileMonitoring.BEAN, FileMonitoring.class);
        private final Set<Path> problems = new HashSet<>();
        private final List<GenericFile<File>> batch = new ArrayList<>();
        private final boolean byName = !config.order().equals("modified");
        private final long start = System.nanoTime();
        private long seen;
        private long accepted;
        private int published;

        Pass(GenericFileFilter<File> filter, FileWatch watching) {
            this.filter = filter;
            this.watching = watching;
        }

        void run() {
            if (monitoring != null) {
                monitoring.scanStarted();
            }
            try {
                new TreeScan(config.symlinks(), endpoint.directory(), config.filters()).scan(this);
                flush();
            } finally {
                copiers.awaitAll(); // the pass is over when its last batch is
            }
            if (!stopped()) { // what a walk cut short did not reach is not known to be fixed
                failedFiles.keepRefusals(problems);
                if (monitoring != null) {
                    monitoring.scanned(seen, System.nanoTime() - start);
                }
            }
        }

        @Override
        public void entry(ReplicaFile entry) {
            seen++;
            if (filter.accept(entry)) {
                accepted++;
                batch.add(entry);
                if (byName && batch.size() >= BATCH) {
                    flush();
                }
            }
        }

        @Override
        public void directory(Path dir) {
            watching.directory(dir);
            if (byName) {
                flush(); // order=modified sorts the whole scan, so it holds it (README: memory)
            }
        }

        /** The route stops, or max-files-per-poll is reached: the rest waits for the next pass. */
        @Override
        public boolean stopped() {
            return !isRunAllowed() || isSuspended() || (maxMessagesPerPoll > 0 && published >= maxMessagesPerPoll);
        }

        @Override
        public void problem(Path path, String reason) {
            problems.add(path);
            failedFiles.refuse(path, reason);
        }

        @Override
        public void skipped(Path path, String reason) {
            failedFiles.warnOnce(path, reason);
        }

        /** Publishes the batch in replicator.file.order (markers last), as Camel's consumer does a whole poll. */
        private void flush() {
            if (batch.isEmpty() || stopped()) {
                batch.clear();
                return;
            }
            largestBatch = Math.max(largestBatch, batch.size());
            if (endpoint.getSorter() != null) {
                batch.sort(endpoint.getSorter());
            }
            int room = maxMessagesPerPoll > 0 ? maxMessagesPerPoll - published : batch.size();
            List<GenericFile<File>> files = batch.subList(0, Math.min(room, batch.size()));
            if (batches) {
                List<ReplicaFile> entries = files.stream().map(ReplicaFile.class::cast).toList();
                batch.clear();
                if (monitoring != null) {
                    monitoring.queued(entries.size());
                }
                FileBatch next = new FileBatch(entries, ReplicaFileConsumer.this::isBatchAllowed);
                published += entries.size();
                copiers.runOrHandOver(() -> copy(next));
                return;
            }
            Deque<Object> exchanges = new ArrayDeque<>();
            for (GenericFile<File> file : files) {
                Exchange exchange = createExchange(file);
                endpoint.configureExchange(exchange);
                endpoint.configureMessage(file, exchange.getIn());
                exchanges.add(exchange);
            }
            batch.clear();
            if (monitoring != null) {
                monitoring.queued(exchanges.size());
            }
            published += config.copyThreads() > 1 ? copyInParallel(exchanges) : processBatch(exchanges);
        }
    }

    /**
     * One exchange for the whole batch: the producer publishes each entry and reports each failure on its own. With
     * replicator.file.copy-threads above 1, batches are copied side by side ({@link CopyThreads}).
     */
    private void copy(FileBatch batch) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(batch);
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("copying " + batch, exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    /**
     * replicator.file.copy-threads above 1: the batch's data files are copied on that many threads (each exchange
     * as Camel would process it), then its completion markers, once every data file before them is done.
     */
    private int copyInParallel(Deque<Object> exchanges) {
        Deque<Object> markers = new ArrayDeque<>();
        while (!exchanges.isEmpty() && isMarker((Exchange) exchanges.peekLast())) {
            markers.addFirst(exchanges.pollLast()); // sorted last by #fileOrder
        }
        List<Future<Boolean>> copies = new ArrayList<>(exchanges.size());
        for (Object exchange : exchanges) {
            copies.add(copiers.submit(() -> isBatchAllowed() && processExchange((Exchange) exchange)));
        }
        int started = 0;
        Deque<Exchange> notStarted = new ArrayDeque<>();
        Iterator<Object> each = exchanges.iterator();
        for (Future<Boolean> copy : copies) {
            Exchange exchange = (Exchange) each.next();
            if (copied(copy, exchange)) {
                started++;
            } else {
                notStarted.add(exchange);
            }
        }
        removeExcessiveInProgressFiles(notStarted, 0);
        return started + (markers.isEmpty() ? 0 : processBatch(markers));
    }

    private boolean copied(Future<Boolean> copy, Exchange exchange) {
        try {
            return copy.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            copy.cancel(false);
            return false;
        } catch (ExecutionException e) {
            getExceptionHandler().handleException("copying " + exchange, exchange, e.getCause());
            return true;
        }
    }

    private boolean isMarker(Exchange exchange) {
        return config.markers().contains(ReplicaFile.of(exchange).path().getFileName().toString());
    }

    @Override
    protected void updateFileHeaders(GenericFile<File> file, Message message) {
        // the scan's attributes stand: Camel would stat the file again, through a String path that may not name it
    }
}
