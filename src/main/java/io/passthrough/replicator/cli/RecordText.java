package io.passthrough.replicator.cli;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.kafka.common.header.Header;

/**
 * How `replicator read` prints bytes, so that no form can be taken for another and one record stays one line:
 * {@code null} for no bytes, {@code ""} for none, the text itself when it is plain UTF-8, a JSON-style quoted string
 * ({@code "null"}, {@code "a\nb"}) when the text has control characters or could be mistaken for another form, and
 * {@code base64:...} for bytes that are not UTF-8.
 */
final class RecordText {

    static final String BASE64 = "base64:";

    private RecordText() {
    }

    /** A key or value of the text format. */
    static String show(byte[] bytes) {
        return show(bytes, false);
    }

    /** Headers as [key=value, key=value]; in them , = [ and ] are quoted too. */
    static String showHeaders(Iterable<Header> headers) {
        StringBuilder text = new StringBuilder("[");
        for (Header header : headers) {
            text.append(text.length() > 1 ? ", " : "").append(show(header.key().getBytes(StandardCharsets.UTF_8), true))
                    .append('=').append(show(header.value(), true));
        }
        return text.append(']').toString();
    }

    /** A key, value or header value of the JSON format: null, the text (JSON escapes it), or base64: for non-UTF-8 bytes. */
    static String json(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        String text = utf8(bytes);
        return text != null && !text.startsWith(BASE64) ? text : BASE64 + Base64.getEncoder().encodeToString(bytes);
    }

    private static String show(byte[] bytes, boolean inHeaders) {
        if (bytes == null) {
            return "null";
        }
        String text = utf8(bytes);
        if (text == null) {
            return BASE64 + Base64.getEncoder().encodeToString(bytes);
        }
        return isPlain(text, inHeaders) ? text : quote(text);
    }

    private static boolean isPlain(String text, boolean inHeaders) {
        if (text.isEmpty() || text.equals("null") || text.startsWith("\"") || text.startsWith(BASE64) || !text.strip().equals(text)) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (needsEscape(c) || inHeaders && ",=[]".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean needsEscape(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT;
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(needsEscape(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('"').toString();
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
