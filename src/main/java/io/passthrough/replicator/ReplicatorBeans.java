package io.passthrough.replicator;

import io.passthrough.replicator.config.ReplicatorConfig;
import io.passthrough.replicator.files.FailedFiles;
import io.passthrough.replicator.files.FileOrder;
import io.passthrough.replicator.files.FileQuickCheck;
import io.passthrough.replicator.files.FileReplicationConfig;
import io.passthrough.replicator.files.FileSource;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Registry;

/** The beans the routes refer to (#fileQuickCheck, fileSource, …), built from the effective configuration. */
public class ReplicatorBeans implements CamelConfiguration {

    private final ReplicatorConfig config;
    private final boolean fileRoute;
    private FailedFiles failedFiles;

    public ReplicatorBeans(ReplicatorConfig config, boolean fileRoute) {
        this.config = config;
        this.fileRoute = fileRoute;
    }

    @Override
    public void configure(CamelContext camelContext) {
        Registry registry = camelContext.getRegistry();
        if (fileRoute) {
            FileReplicationConfig files = FileReplicationConfig.from(config);
            failedFiles = new FailedFiles(files);
            registry.bind("failedFiles", failedFiles);
            registry.bind("fileQuickCheck", new FileQuickCheck(files, failedFiles));
            registry.bind("fileOrder", new FileOrder(files));
            registry.bind("fileSource", new FileSource(files, failedFiles));
        }
    }

    /** The files still failing when the run ends (null without the file route). */
    public FailedFiles failedFiles() {
        return failedFiles;
    }
}
