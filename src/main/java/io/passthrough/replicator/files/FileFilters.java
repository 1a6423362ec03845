package io.passthrough.replicator.files;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * replicator.file.include and replicator.file.exclude: glob patterns on the path relative to the input. Exclude wins;
 * an excluded entry is neither copied nor deleted, and an excluded directory is not walked (`**&#47;_temporary/**`
 * leaves out a running Spark job's work directory, the directory itself included). With include patterns, only the
 * files (and links) they match are copied; directories are then created for the files they hold, not on their own.
 * `**&#47;x` also matches `x` at the top.
 */
public final class FileFilters {

    /** No pattern: everything is replicated. */
    public static final FileFilters NONE = new FileFilters(List.of(), List.of(), List.of());

    private final List<PathMatcher> include;
    private final List<PathMatcher> exclude;
    /** Exclude patterns ending in `/**`, without it: the directory itself is excluded too. */
    private final List<PathMatcher> excludeDirectory;

    private FileFilters(List<PathMatcher> include, List<PathMatcher> exclude, List<PathMatcher> excludeDirectory) {
        this.include = include;
        this.exclude = exclude;
        this.excludeDirectory = excludeDirectory;
    }

    /** From the comma-separated settings (a bad pattern is an IllegalArgumentException naming it). */
    public static FileFilters of(String include, String exclude) {
        List<PathMatcher> excludeDirectory = new ArrayList<>();
        for (String pattern : patterns(exclude)) {
            if (pattern.endsWith("/**")) {
                excludeDirectory.addAll(matchers(pattern.substring(0, pattern.length() - 3)));
            }
        }
        List<PathMatcher> includes = new ArrayList<>();
        patterns(include).forEach(pattern -> includes.addAll(matchers(pattern)));
        List<PathMatcher> excludes = new ArrayList<>();
        patterns(exclude).forEach(pattern -> excludes.addAll(matchers(pattern)));
        return new FileFilters(includes, excludes, excludeDirectory);
    }

    public boolean isEmpty() {
        return include.isEmpty() && exclude.isEmpty();
    }

    public boolean hasIncludes() {
        return !include.isEmpty();
    }

    /** True when an entry of this kind at this relative path is left out (neither copied nor deleted). */
    public boolean leavesOut(Path relative, boolean directory) {
        if (isEmpty()) {
            return false;
        }
        if (matches(exclude, relative) || (directory && matches(excludeDirectory, relative))) {
            return true;
        }
        return !directory && !include.isEmpty() && !matches(include, relative);
    }

    private static boolean matches(List<PathMatcher> matchers, Path relative) {
        for (PathMatcher matcher : matchers) {
            if (matcher.matches(relative)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> patterns(String setting) {
        return Arrays.stream(setting.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<PathMatcher> matchers(String pattern) {
        List<PathMatcher> matchers = new ArrayList<>();
        matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
        String rest = pattern;
        while (rest.startsWith("**/")) {
            rest = rest.substring(3);
            if (!rest.isEmpty()) {
                matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + rest));
            }
        }
        return matchers;
    }
}
