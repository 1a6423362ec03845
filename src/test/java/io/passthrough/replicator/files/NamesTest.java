package io.passthrough.replicator.files;

import static io.passthrough.replicator.support.Trees.writeRawName;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one escaping of names in every line the replicator prints: one-to-one, one line per name. */
class NamesTest {

    @TempDir
    Path dir;

    @Test
    void should_escape_what_would_break_a_line_or_hide_a_byte_and_keep_valid_utf8() {
        assertThat(Names.escape("evil\nmissing\tfake\\x.txt".getBytes(UTF_8))).isEqualTo("evil\\nmissing\\tfake\\\\x.txt");
        assertThat(Names.escape("café 文件 ☕".getBytes(UTF_8))).isEqualTo("café 文件 ☕");
        assertThat(Names.escape(new byte[] {'b', 'a', 'd', (byte) 0xff, (byte) 0xfe})).isEqualTo("bad\\xff\\xfe");
        assertThat(Names.escape(new byte[] {'a', '\r', 0x1b, 0x7f})).isEqualTo("a\\x0d\\x1b\\x7f");
        assertThat(Names.escape(new byte[] {(byte) 0xc2, (byte) 0x85})).as("a C1 control (NEL)").isEqualTo("\\xc2\\x85");
        assertThat(Names.escape(new byte[] {(byte) 0xc0, (byte) 0x80})).as("an overlong NUL").isEqualTo("\\xc0\\x80");
        assertThat(Names.escape(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).as("a surrogate").isEqualTo("\\xed\\xa0\\x80");
        assertThat(Names.escape(new byte[] {'x', (byte) 0xe2, (byte) 0x82})).as("a truncated sequence").isEqualTo("x\\xe2\\x82");
    }

    @Test
    void should_keep_a_message_naming_a_path_with_a_newline_on_one_line() {
        assertThat(Names.oneLine("NoSuchFileException: /in/evil\nerror: forged\tx\r")).isEqualTo("NoSuchFileException: /in/evil\\nerror: forged\\tx\\x0d");
    }

    @Test
    void should_read_the_bytes_of_a_listed_name_that_the_locale_cannot_decode() throws Exception {
        Path bad = writeRawName(dir, "bad\\377\\376 %%41", "x", "bad\\xff\\xfe %41");

        assertThat(Names.bytes(bad.getFileName())).containsExactly('b', 'a', 'd', 0xff, 0xfe, ' ', '%', '4', '1');
        assertThat(Names.show(bad)).isEqualTo(Names.show(dir) + "/bad\\xff\\xfe %41");
        assertThat(Names.show(Path.of("rel/a b"))).isEqualTo("rel/a b");
    }
}
