package io.passthrough.replicator.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Help that reads whole at 80 columns. Picocli wraps at Java's line-break opportunities, which split words such as
 * HOST:PORT or replicator.kafka.source.* across lines; so picocli lays the help out unwrapped and it is wrapped
 * here, at spaces only, with picocli's indentation.
 */
public class HelpLayout implements CommandLine.IModelTransformer {

    public static final int WIDTH = 80;
    private static final int UNWRAPPED = 10_000;

    @Override
    public CommandSpec transform(CommandSpec spec) {
        apply(spec);
        return spec;
    }

    private static void apply(CommandSpec spec) {
        UsageMessageSpec usage = spec.usageMessage();
        usage.width(UNWRAPPED);
        Map<String, IHelpSectionRenderer> sections = new LinkedHashMap<>(usage.sectionMap());
        IHelpSectionRenderer heading = sections.get(UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING);
        IHelpSectionRenderer synopsis = sections.get(UsageMessageSpec.SECTION_KEY_SYNOPSIS);
        sections.replaceAll((key, renderer) -> help -> wrap(renderer.render(help)));
        // the synopsis is indented after "Usage: replicator read ", so heading and synopsis are wrapped together
        sections.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING, help -> "");
        sections.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, help -> wrap(heading.render(help) + synopsis.render(help)));
        usage.sectionMap(sections);
        spec.subcommands().values().forEach(sub -> apply(sub.getCommandSpec()));
    }

    /** Wraps every line longer than {@link #WIDTH} at spaces; continuation lines indented as picocli indents them. */
    public static String wrap(String text) {
        StringBuilder result = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (result.length() > 0) {
                result.append('\n');
            }
            wrapLine(line, result);
        }
        return result.toString();
    }

    private static void wrapLine(String line, StringBuilder result) {
        int start = textStart(line);
        int indent = continuationIndent(line, start);
        String rest = line;
        int firstBreak = start;
        while (rest.length() > WIDTH) {
            int cut = rest.lastIndexOf(' ', WIDTH);
            if (cut <= firstBreak) {
                break; // one word longer than the line: left whole
            }
            result.append(rest, 0, cut).append('\n');
            rest = " ".repeat(indent) + rest.substring(cut + 1).stripLeading();
            firstBreak = indent;
        }
        result.append(rest);
    }

    /** Where the wrappable text of a line starts: after the option column of an option or command row. */
    private static int textStart(String line) {
        int leading = line.length() - line.stripLeading().length();
        if (leading > 0) {
            int gap = line.indexOf("  ", leading);
            return gap < 0 ? leading : gap + (line.substring(gap).length() - line.substring(gap).stripLeading().length());
        }
        if (line.startsWith("Usage: ") || line.startsWith("replicator ")) {
            int options = line.indexOf(" [");
            int dash = line.indexOf(" -");
            int first = options < 0 ? dash : dash < 0 ? options : Math.min(options, dash);
            return first < 0 ? 0 : first + 1;
        }
        return 0;
    }

    private static int continuationIndent(String line, int textStart) {
        boolean row = line.startsWith(" ");
        return row ? textStart + 2 : textStart;
    }
}
