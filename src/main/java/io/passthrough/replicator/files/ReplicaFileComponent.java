package io.passthrough.replicator.files;

import java.io.File;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.component.file.FileComponent;
import org.apache.camel.component.file.GenericFileConfiguration;
import org.apache.camel.component.file.GenericFileEndpoint;

/**
 * The replicator's `file` component, bound under Camel's name so that the route stays plain `file:` -> `file:`.
 * Camel's own file component is String based and skips or rewrites what a replica must keep (`.camel` directories,
 * `*.camelLock` files, `\` in names, links it follows, directories it never publishes, mtimes in milliseconds); this
 * one takes every endpoint option of Camel's but scans with {@link TreeScan} and publishes with
 * {@link ReplicaFileProducer}.
 */
public class ReplicaFileComponent extends FileComponent {

    private final FileReplicationConfig config;
    private final FailedFiles failedFiles;
    private final FilePass pass;

    /** pass: what follows each scan of the file route (deletions, dry run, --once); null for none. */
    public ReplicaFileComponent(CamelContext context, FileReplicationConfig config, FailedFiles failedFiles, FilePass pass) {
        super(context);
        this.config = config;
        this.failedFiles = failedFiles;
        this.pass = pass;
    }

    @Override
    protected GenericFileEndpoint<File> buildFileEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        File directory = new File(remaining);
        ReplicaFileEndpoint endpoint = new ReplicaFileEndpoint(uri, this, config, failedFiles, pass);
        endpoint.setFile(directory);
        GenericFileConfiguration configuration = new GenericFileConfiguration();
        configuration.setDirectory(directory.isAbsolute() ? directory.getAbsolutePath() : directory.getPath());
        endpoint.setConfiguration(configuration);
        return endpoint;
    }
}
