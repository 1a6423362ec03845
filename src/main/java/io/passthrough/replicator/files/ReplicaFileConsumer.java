package io.passthrough.replicator.files;

import java.io.File;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.file.FileConsumer;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;
import org.apache.camel.component.file.GenericFileOperations;
import org.apache.camel.component.file.GenericFileProcessStrategy;

/**
 * Camel's polling file consumer (filter, sorter, max messages per poll, completion) whose scan is one {@link TreeScan}:
 * every entry is offered to the filter, hidden or not, `.camel` and `*.camelLock` included; directories and links are
 * entries too. What cannot be replicated is reported to {@link FailedFiles} once and listed at exit.
 */
class ReplicaFileConsumer extends FileConsumer {

    private final ReplicaFileEndpoint endpoint;
    private final FileReplicationConfig config;
    private final FailedFiles failedFiles;
    private final FilePass pass;

    ReplicaFileConsumer(ReplicaFileEndpoint endpoint, Processor processor, GenericFileOperations<File> operations,
            GenericFileProcessStrategy<File> strategy, FileReplicationConfig config, FailedFiles failedFiles, FilePass pass) {
        super(endpoint, processor, operations, strategy);
        this.endpoint = endpoint;
        this.config = config;
        this.failedFiles = failedFiles;
        this.pass = pass;
    }

    /** One pass: scan, copy, then what {@link FilePass} does after it (deletions, the end of --once). */
    @Override
    protected int poll() throws Exception {
        FileQuickCheck quickCheck = (FileQuickCheck) endpoint.getFilter();
        quickCheck.startScan();
        int published = super.poll();
        if (isRunAllowed() && !isSuspended() && pass != null) {
            pass.afterScan(published, quickCheck.settling());
        }
        return published;
    }

    @Override
    protected boolean pollDirectory(Exchange dynamic, String fileName, List<GenericFile<File>> fileList, int depth) {
        GenericFileFilter<File> filter = endpoint.getFilter();
        Set<Path> problems = new HashSet<>();
        long start = System.nanoTime();
        long[] seen = {0};
        int before = fileList.size();
        new TreeScan(config.symlinks(), endpoint.directory(), config.filters()).scan(new TreeScan.Visitor() {
            @Override
            public void entry(ReplicaFile entry) {
                seen[0]++;
                if (filter == null || filter.accept(entry)) {
                    fileList.add(entry);
                }
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
        });
        failedFiles.keepRefusals(problems);
        FileMonitoring monitoring = getEndpoint().getCamelContext().getRegistry().lookupByNameAndType(FileMonitoring.BEAN, FileMonitoring.class);
        if (monitoring != null) {
            monitoring.scanned(seen[0], fileList.size() - before, System.nanoTime() - start);
        }
        return true;
    }

    @Override
    protected void updateFileHeaders(GenericFile<File> file, Message message) {
        // the scan's attributes stand: Camel would stat the file again, through a String path that may not name it
    }
}
