package dev.infuse.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.mask.TokenInstance;
import dev.infuse.text.WordPieceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceStreamTest {
    @TempDir
    Path tmp;

    static WordPieceTokenizer tok() {
        List<String> v = new ArrayList<>(List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "long", "##er", "##est"));
        return new WordPieceTokenizer(v, true, true, "t");
    }

    Path corpus(String... lines) throws Exception {
        Path f = tmp.resolve("c.txt");
        Files.write(f, List.of(lines));
        return f;
    }

    static String words(TokenInstance in, WordPieceTokenizer t) {
        StringBuilder s = new StringBuilder();
        for (int id : in.ids()) {
            s.append(s.length() == 0 ? "" : " ").append(t.idToToken(id));
        }
        return s.toString();
    }

    @Test
    void packingFillsInstancesWithinADocumentOnly() throws Exception {
        WordPieceTokenizer t = tok();
        try (InstanceStream s = new InstanceStream(new PlainCorpus(corpus("a b", "c d", "a", "", "b c")), t, 7,
                InstanceStream.Packing.PACKED)) {
            assertEquals("[CLS] a b c d a [SEP]", words(s.next().tokens(), t));
            assertEquals("[CLS] b c [SEP]", words(s.next().tokens(), t), "a new document starts a new instance");
            Instance again = s.next();
            assertEquals(1, again.epoch(), "the stream starts a new epoch at the end");
            assertEquals(0, again.index());
        }
    }

    @Test
    void fillCarriesTheRestOfAPassageIntoTheNextInstanceWithoutSplittingAWord() throws Exception {
        WordPieceTokenizer t = tok();
        // Room for 5 body tokens. packed: "c d longer" (4 pieces) does not fit after "a b" and opens the next
        // instance, leaving three slots empty; fill: "c d" fits, "longer" (long ##er) would straddle the end.
        try (InstanceStream s = new InstanceStream(new PlainCorpus(corpus("a b", "c d longer", "a", "", "b c")), t, 7,
                InstanceStream.Packing.FILL)) {
            assertEquals("[CLS] a b c d [SEP]", words(s.next().tokens(), t));
            Instance second = s.next();
            assertEquals("[CLS] long ##er a [SEP]", words(second.tokens(), t), "the passage goes on where it was cut");
            assertArrayEquals(new int[] {-1, 0, 0, 1, -1}, second.tokens().wordIds(), "word ids restart in each instance");
            assertEquals("[CLS] b c [SEP]", words(s.next().tokens(), t), "a document still ends an instance");
        }
        try (InstanceStream s = new InstanceStream(new PlainCorpus(corpus("a b", "c d", "a", "", "b c")), t, 7,
                InstanceStream.Packing.FILL)) {
            s.next();
            Cursor mid = s.cursor();
            String after = words(s.next().tokens(), t);
            s.seek(mid);
            assertEquals(after, words(s.next().tokens(), t), "a seek to the cursor repeats the same instance");
        }
    }

    @Test
    void fullCutsAtTheExactTokenSoEveryInstanceButADocumentsLastIsFull() throws Exception {
        WordPieceTokenizer t = tok();
        // Room for 5 body tokens: "a b c d long" fills the first; "##er" goes on in the second as a word of its own.
        try (InstanceStream s = new InstanceStream(new PlainCorpus(corpus("a b", "c d longer", "a", "", "b c")), t, 7,
                InstanceStream.Packing.FULL)) {
            TokenInstance first = s.next().tokens();
            assertEquals("[CLS] a b c d long [SEP]", words(first, t));
            assertArrayEquals(new int[] {-1, 0, 1, 2, 3, 4, -1}, first.wordIds());
            TokenInstance second = s.next().tokens();
            assertEquals("[CLS] ##er a [SEP]", words(second, t), "the passage goes on at the very next piece");
            assertArrayEquals(new int[] {-1, 0, 1, -1}, second.wordIds());
            assertEquals("[CLS] b c [SEP]", words(s.next().tokens(), t), "a document still ends an instance");
        }
        try (InstanceStream s = new InstanceStream(new PlainCorpus(corpus("a longest longer b")), t, 5, InstanceStream.Packing.FULL)) {
            assertEquals("[CLS] a long ##est [SEP]", words(s.next().tokens(), t), "a long passage is cut at the token too");
            assertEquals("[CLS] long ##er b [SEP]", words(s.next().tokens(), t));
        }
    }

    @Test
    void longPassagesAreCutAtWordBoundariesAndWordIdsRestartPerInstance() throws Exception {
        WordPieceTokenizer t = tok();
        try (InstanceStream s = new InstanceStream(new PlainCorpus(corpus("a longer b longest c")), t, 6, InstanceStream.Packing.LINE)) {
            TokenInstance first = s.next().tokens();
            assertEquals("[CLS] a long ##er b [SEP]", words(first, t));
            assertArrayEquals(new int[] {-1, 0, 1, 1, 2, -1}, first.wordIds());
            assertEquals("[CLS] long ##est c [SEP]", words(s.next().tokens(), t));
        }
    }

    @Test
    void seekingToACursorContinuesTheSameStream() throws Exception {
        WordPieceTokenizer t = tok();
        Path c = corpus("a b c d a b", "longest c", "", "d d d", "a longer");
        List<String> straight = new ArrayList<>();
        Cursor at3 = null;
        try (InstanceStream s = new InstanceStream(new PlainCorpus(c), t, 5, InstanceStream.Packing.PACKED)) {
            for (int i = 0; i < 12; i++) {
                if (i == 3) {
                    at3 = s.cursor();
                }
                Instance in = s.next();
                straight.add(in.epoch() + "/" + in.index() + " " + words(in.tokens(), t));
            }
        }
        try (InstanceStream s = new InstanceStream(new PlainCorpus(c), t, 5, InstanceStream.Packing.PACKED)) {
            s.seek(at3);
            for (int i = 3; i < 12; i++) {
                Instance in = s.next();
                assertEquals(straight.get(i), in.epoch() + "/" + in.index() + " " + words(in.tokens(), t));
            }
        }
    }

    @Test
    void mentionsBecomeTokenSpansAndCutMentionsAreDropped() {
        WordPieceTokenizer t = tok();
        PassageSource src = new PassageSource() {
            @Override
            public Pass open() {
                Iterator<TextPassage> it = List.of(new TextPassage("a longer b longest", true, List.of(new int[] {2, 8}, new int[] {11, 18})))
                        .iterator();
                return new Pass() {
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    public TextPassage next() {
                        return it.next();
                    }

                    public void close() {}
                };
            }

            public String describe() {
                return "test";
            }

            public String sha256() {
                return "0";
            }
        };
        try (InstanceStream s = new InstanceStream(src, t, 7, InstanceStream.Packing.LINE)) {
            TokenInstance in = s.next().tokens(); // [CLS] a long ##er b long [SEP]: "longest" is cut, its mention dropped
            assertEquals(1, in.entitySpans().size());
            assertArrayEquals(new int[] {2, 4}, in.entitySpans().get(0));
        }
    }

    @Test
    void missingAndEmptyCorporaAreClearErrors() throws Exception {
        InfuseException missing = assertThrows(InfuseException.class, () -> new PlainCorpus(tmp.resolve("nope.txt")));
        assertTrue(missing.getMessage().startsWith("corpus file not found"), missing.getMessage());
        Path empty = corpus("", "   ", "");
        try (InstanceStream s = new InstanceStream(new PlainCorpus(empty), tok(), 8, InstanceStream.Packing.PACKED)) {
            InfuseException e = assertThrows(InfuseException.class, s::next);
            assertEquals("corpus " + empty + " has no text to train on", e.getMessage());
        }
    }
}
