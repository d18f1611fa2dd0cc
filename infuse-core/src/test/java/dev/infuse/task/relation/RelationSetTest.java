package dev.infuse.task.relation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.task.Encoded;
import dev.infuse.task.Labels;
import dev.infuse.task.RowEncoder;
import dev.infuse.text.WordPieceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelationSetTest {
    @TempDir
    Path tmp;

    @Test
    void markersWrapHeadAndTailAndTheirPiecesAreTheTargets() throws Exception {
        List<String> vocab = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "@", "#", "the", "cat", "sat", "on", "mat"));
        WordPieceTokenizer tok = new WordPieceTokenizer(vocab, true, true, "t");
        Path f = Files.writeString(tmp.resolve("r.jsonl"), "{\"token\":[\"the\",\"cat\",\"sat\",\"on\",\"the\",\"mat\"],"
                + "\"h\":{\"name\":\"cat\",\"id\":\"Q1\",\"pos\":[1,2]},\"t\":{\"name\":\"mat\",\"id\":\"Q2\",\"pos\":[5,6]},\"relation\":\"on\",\"extra\":1}\n");
        RelationSet set = RelationSet.read(f);
        Encoded e = set.encode(0, RowEncoder.plain(tok), 32, new Labels(List.of("on")));
        // [CLS] the @ cat @ sat on the # mat # [SEP]
        assertArrayEquals(new long[] {2, 7, 5, 8, 5, 9, 10, 7, 6, 11, 6, 3}, e.row().ids());
        assertArrayEquals(new int[] {2}, e.targets().get(0).groups()[0]);
        assertArrayEquals(new int[] {8}, e.targets().get(0).groups()[1]);
        assertEquals(0, e.targets().get(0).label());
        // Cut before the tail marker: no target, so the example is scored as an error, not trained on.
        assertTrue(set.encode(0, RowEncoder.plain(tok), 8, new Labels(List.of("on"))).targets().isEmpty());
    }

    @Test
    void badPositionNamesTheLine() throws Exception {
        Path f = Files.writeString(tmp.resolve("bad.jsonl"), "\n{\"token\":[\"a\"],\"h\":{\"pos\":[0,1]},\"t\":{\"pos\":[1,3]},\"relation\":\"r\"}\n");
        InfuseException e = assertThrows(InfuseException.class, () -> RelationSet.read(f));
        assertTrue(e.getMessage().contains(":2: t pos [1, 3)"), e.getMessage());
    }
}
