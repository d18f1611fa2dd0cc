package dev.infuse.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlainCorpusTest {
    @TempDir
    Path tmp;

    static List<String> read(PassageSource c) {
        List<String> out = new ArrayList<>();
        try (PassageSource.Pass p = c.open()) {
            while (p.hasNext()) {
                TextPassage t = p.next();
                out.add((t.startsDocument() ? "|" : "") + t.text());
            }
        }
        return out;
    }

    @Test
    void aGzippedCorpusReadsLikeThePlainOne() throws Exception {
        String text = "first line\nsecond line\n\nnew document\n";
        Path plain = Files.writeString(tmp.resolve("c.txt"), text);
        Path gz = tmp.resolve("c.txt.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(List.of("|first line", "second line", "|new document"), read(new PlainCorpus(plain)));
        assertEquals(read(new PlainCorpus(plain)), read(new PlainCorpus(gz)));
    }

    @Test
    void aLineThatIsNotUtf8IsNamed() throws Exception {
        Path bad = tmp.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', '\n', (byte) 0xC3, (byte) 0x28, '\n'});
        InfuseException e = assertThrows(InfuseException.class, () -> read(new PlainCorpus(bad)));
        assertEquals(bad + " line 2: not UTF-8 text", e.getMessage());
        Path cut = Files.write(tmp.resolve("cut.txt.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0});
        e = assertThrows(InfuseException.class, () -> read(new PlainCorpus(cut)));
        assertTrue(e.getMessage().startsWith(cut + ": truncated gzip stream"), e.getMessage());
    }
}
