package dev.infuse.task.ner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConllReaderTest {
    @TempDir
    Path tmp;

    @Test
    void readsSentencesSplitByBlankLines() throws Exception {
        Path f = tmp.resolve("a.conll");
        Files.writeString(f, "-DOCSTART-\tO\n\nThe\tO\nshell\tB-os\nruns\tO\n\n\nunix\tB-os\nkernel\tI-os\n");
        List<NerSentence> s = ConllReader.read(f);
        assertEquals(2, s.size());
        assertEquals(List.of("The", "shell", "runs"), s.get(0).words());
        assertEquals(List.of("B-os", "I-os"), s.get(1).tags());
        assertEquals(8, s.get(1).line()); // after two blank lines
    }

    @Test
    void malformedLineNamesItsNumber() throws Exception {
        Path f = tmp.resolve("bad.conll");
        Files.writeString(f, "a\tO\nb\tB-x\n\nc\n");
        InfuseException e = assertThrows(InfuseException.class, () -> ConllReader.read(f));
        assertTrue(e.getMessage().contains(":4:"), e.getMessage());
        Files.writeString(f, "a\tO\nb\tX-x\n");
        e = assertThrows(InfuseException.class, () -> ConllReader.read(f));
        assertTrue(e.getMessage().contains(":2:") && e.getMessage().contains("X-x"), e.getMessage());
    }

    @Test
    void readsTheFoldocNerData() {
        List<NerSentence> s = ConllReader.read(Path.of("data/foldoc/benchmark/ner/dev.conll.gz"));
        assertTrue(s.size() > 1000, "sentences: " + s.size());
    }
}
