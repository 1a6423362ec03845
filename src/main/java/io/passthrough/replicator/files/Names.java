package io.passthrough.replicator.files;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File names as the user should read them, one line each: the name's bytes decoded as UTF-8, with C-style escapes
 * for what would break a line or hide a byte (\n, \t, \\, and \xNN for control characters and bytes that are not
 * valid UTF-8). The escaping is one-to-one, so two different names never look the same.
 */
public final class Names {

    private Names() {
    }

    /** The path as one escaped line. */
    public static String show(Path path) {
        return escape(bytes(path));
    }

    /**
     * The path's bytes exactly as the file system has them. A path listed from a directory keeps its bytes even where
     * the locale cannot decode them (toString() would show U+FFFD); its URI percent-encodes those bytes, so they are
     * read back from there.
     */
    public static byte[] bytes(Path path) {
        boolean relative = !path.isAbsolute();
        Path absolute = relative ? path.getFileSystem().getPath("/").resolve(path) : path;
        String raw = absolute.toUri().getRawPath();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        byte[] all = bytes.toByteArray();
        int from = relative ? 1 : 0;
        int to = all.length > 1 && all[all.length - 1] == '/' ? all.length - 1 : all.length; // toUri marks directories
        return java.util.Arrays.copyOfRange(all, from, Math.max(from, to));
    }

    /** A message (an exception's, naming paths as decoded strings) as one line: newlines, tabs, control characters escaped. */
    public static String oneLine(String message) {
        StringBuilder text = new StringBuilder(message.length());
        message.codePoints().forEach(c -> {
            if (c == '\n') {
                text.append("\\n");
            } else if (c == '\t') {
                text.append("\\t");
            } else if (Character.isISOControl(c)) {
                escape(text, new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
            } else {
                text.appendCodePoint(c);
            }
        });
        return text.toString();
    }

    private static void escape(StringBuilder text, byte[] bytes) {
        for (byte b : bytes) {
            hex(text, b);
        }
    }

    /** The bytes as one line: valid UTF-8 shown as is, the rest escaped. */
    public static String escape(byte[] name) {
        StringBuilder text = new StringBuilder(name.length + 8);
        int i = 0;
        while (i < name.length) {
            int length = sequenceLength(name[i]);
            String decoded = length > 0 && i + length <= name.length ? decode(name, i, length) : null;
            if (decoded == null) {
                hex(text, name[i]);
                i++;
                continue;
            }
            int c = decoded.codePointAt(0);
            if (c == '\n') {
                text.append("\\n");
            } else if (c == '\t') {
                text.append("\\t");
            } else if (c == '\\') {
                text.append("\\\\");
            } else if (Character.isISOControl(c)) {
                for (int b = i; b < i + length; b++) {
                    hex(text, name[b]);
                }
            } else {
                text.append(decoded);
            }
            i += length;
        }
        return text.toString();
    }

    private static int sequenceLength(byte lead) {
        int b = lead & 0xff;
        if (b < 0x80) {
            return 1;
        }
        if (b >= 0xc2 && b <= 0xdf) {
            return 2;
        }
        if (b >= 0xe0 && b <= 0xef) {
            return 3;
        }
        if (b >= 0xf0 && b <= 0xf4) {
            return 4;
        }
        return 0;
    }

    /** One UTF-8 sequence decoded strictly (overlong forms and surrogates refused), or null. */
    private static String decode(byte[] bytes, int from, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, length)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static void hex(StringBuilder text, byte b) {
        text.append(String.format("\\x%02x", b & 0xff));
    }
}
