package dev.infuse.inject.vocab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.domain.DomainBundle;
import dev.infuse.io.Provenance;
import dev.infuse.model.AddedRows;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.HfTokenizer;
import dev.infuse.text.WordPieceTokenizer;
import dev.infuse.train.TinyRun;
import dev.infuse.train.data.BundleCorpus;
import dev.infuse.train.data.PlainCorpus;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vocab extend} on a tiny random model: what is chosen, how the new rows start, and that every reader agrees on the ids. */
class VocabExtensionTest {
    static final List<String> VOCAB = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "is", "a", "and", "link", "up", ".",
            "eth", "##ern", "##et", "li", "##sp", "c", "##l", "##is", "##p", "er", "##lang", "##s");
    static final int V = VOCAB.size();
    static final int H = 32;
    /** ethernet 3 x 3 pieces = 9, lisp 3 x 2 = 6, clisp 1 x 4 = 4, erlang 1 x 2 = 2. */
    static final List<String> CORPUS = List.of("the ethernet link is up .", "ethernet and ethernet .", "erlang is a lisp .", "", "clisp is a lisp and a lisp .");
    static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path tmp;
    static Path model;
    static Path corpus;

    @BeforeAll
    static void setUp() throws Exception {
        TinyRun.oneThread();
        model = tmp.resolve("tiny");
        try (MaskedLm lm = new MaskedLm(BertModel.random(BertConfig.tiny(V), 5), new WordPieceTokenizer(VOCAB, true, true, "test"), "tiny")) {
            lm.save(model, Provenance.of("model"));
        }
        corpus = tmp.resolve("corpus.txt");
        Files.write(corpus, CORPUS);
    }

    static VocabExtension.Result extend(String from, Path out, int maxNew, int minCount, DomainBundle bundle) {
        var source = bundle != null ? new BundleCorpus(bundle) : new PlainCorpus(corpus);
        return VocabExtension.run(new VocabExtension.Job(from, source, bundle, new VocabChoice.Settings(maxNew, minCount), out, false), QUIET);
    }

    static float[] rows(BertModel m) {
        return m.wordEmbeddings().toFloatArray();
    }

    static float[] bias(BertModel m) {
        return m.parameter("cls.predictions.bias").toFloatArray();
    }

    @Test
    void addsTheMostFragmentedWordsWithMeanRowsAndKeepsEveryOldRow() throws Exception {
        Path out = tmp.resolve("ext");
        VocabExtension.Result r = extend(model.toString(), out, 2, 1, null);
        assertEquals(List.of("ethernet", "lisp"), r.added().stream().map(VocabChoice.Word::text).toList(), "pieces x count: 9, then 6");
        assertEquals(V, r.firstId());
        assertTrue(r.corpusAfter().perWord() < r.corpusBefore().perWord(), r.corpusBefore() + " -> " + r.corpusAfter());

        try (MaskedLm before = MaskedLm.load(model.toString()); MaskedLm after = MaskedLm.load(out.toString())) {
            assertEquals(V + 2, after.model().config().vocabSize());
            float[] old = rows(before.model());
            float[] now = rows(after.model());
            assertArrayEquals(old, Arrays.copyOf(now, V * H), "every old input row (and so every old MLM output row) bit for bit");
            assertArrayEquals(bias(before.model()), Arrays.copyOf(bias(after.model()), V), "every old MLM bias entry bit for bit");
            int[] ethernet = {VOCAB.indexOf("eth"), VOCAB.indexOf("##ern"), VOCAB.indexOf("##et")};
            int[] lisp = {VOCAB.indexOf("li"), VOCAB.indexOf("##sp")};
            assertMeanRow(old, now, V, ethernet);
            assertMeanRow(old, now, V + 1, lisp);
            float[] b = bias(before.model());
            float[] nb = bias(after.model());
            assertEquals((float) (((double) b[ethernet[0]] + b[ethernet[1]] + b[ethernet[2]]) / 3), nb[V]);
            assertEquals((float) (((double) b[lisp[0]] + b[lisp[1]]) / 2), nb[V + 1]);
            // The decoder is the word embedding table: the new word's MLM output row is the same mean, so its logit is the
            // mean of its pieces' logits for any hidden state.
            try (var m = dev.infuse.engine.Engines.newManager()) {
                var h = m.randomNormal(new ai.djl.ndarray.types.Shape(1, H));
                float[] oldLogits = before.model().mlmLogits(h).toFloatArray();
                float[] newLogits = after.model().mlmLogits(h).toFloatArray();
                double mean = (oldLogits[ethernet[0]] + (double) oldLogits[ethernet[1]] + oldLogits[ethernet[2]]) / 3;
                assertEquals(mean, newLogits[V], 1e-5);
                assertArrayEquals(oldLogits, Arrays.copyOf(newLogits, V), "old logits unchanged");
            }

            // A new word is one token; a word that only contains one ("clisp") or starts with none ("erlang") is unchanged.
            assertTrue(after.tokenizer() instanceof HfTokenizer, "the saved tokenizer.json is what loads");
            assertArrayEquals(new int[] {2, V, 3}, after.tokenizer().encode("Ethernet").ids());
            assertArrayEquals(new int[] {2, V + 1, 3}, after.tokenizer().encode("lisp").ids());
            for (String unrelated : List.of("clisp", "erlang", "the link is up .")) {
                assertArrayEquals(before.tokenizer().encode(unrelated).ids(), after.tokenizer().encode(unrelated).ids(), unrelated);
            }
            assertArrayEquals(new int[] {2, V + 1, VOCAB.indexOf("##s"), 3}, after.tokenizer().encode("lisps").ids(), "a word that starts with one uses it");
        }
    }

    static void assertMeanRow(float[] old, float[] now, int row, int[] pieces) {
        for (int d = 0; d < H; d++) {
            double sum = 0;
            for (int p : pieces) {
                sum += old[p * H + d];
            }
            assertEquals((float) (sum / pieces.length), now[row * H + d], "row " + row + ", dim " + d);
        }
    }

    @Test
    void vocabTxtTokenizerJsonAndAddedTokensAgree() throws Exception {
        Path out = tmp.resolve("files");
        extend(model.toString(), out, 3, 1, null);
        List<String> lines = Files.readAllLines(out.resolve("vocab.txt"));
        assertEquals(VOCAB, lines.subList(0, V));
        assertEquals(List.of("ethernet", "lisp", "clisp"), lines.subList(V, V + 3));
        JsonObject json = JsonParser.parseString(Files.readString(out.resolve("tokenizer.json"))).getAsJsonObject();
        JsonObject vocab = json.getAsJsonObject("model").getAsJsonObject("vocab");
        assertEquals(V + 3, vocab.size(), "the new words are WordPiece entries");
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(i, vocab.get(lines.get(i)).getAsInt(), lines.get(i));
        }
        assertEquals(5, json.getAsJsonArray("added_tokens").size(), "only the five specials are added tokens");
        assertFalse(Files.exists(out.resolve("added_tokens.json")), "the base had no added tokens, and none were made");
        AddedRows rows = AddedRows.read(out);
        assertEquals(new AddedRows(V, 3), rows);
        assertEquals(V + 3, JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject().get("vocab_size").getAsInt());
        assertTrue(Files.readString(out.resolve("provenance.json")).contains("\"clisp\""), "provenance lists the added words");

        // vocab.txt alone (Python's slow BertTokenizer, torch_bert.py) and tokenizer.json (the fast one, infuse) give the same ids.
        WordPieceTokenizer slow = WordPieceTokenizer.load(out.resolve("vocab.txt"));
        try (HfTokenizer fast = HfTokenizer.load(out)) {
            for (String s : List.of("The Ethernet link is up.", "clisp, lisp and erlang", "ETHERNETS and lisps")) {
                assertArrayEquals(slow.encode(s).ids(), fast.encode(s).ids(), s);
            }
        }
        try (MaskedLm back = MaskedLm.load(out.toString()); MaskedLm again = MaskedLm.load(out.toString())) {
            assertEquals(back.fingerprint(), again.fingerprint());
            assertArrayEquals(new int[] {2, V + 2, 11, 3}, back.tokenizer().encode("clisp.").ids());
        }
    }

    @Test
    void entityWordsComeFirstAndNoWordIsAddedTwice() throws Exception {
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Files.writeString(bundle.resolve("entities.jsonl"), String.join("\n",
                "{\"id\":\"erlang\",\"name\":\"Erlang\",\"aliases\":[\"erlang\", \"Erlang/OTP\"],\"type\":\"language\",\"description\":\"\"}",
                "{\"id\":\"eth\",\"name\":\"Ethernet\",\"aliases\":[\"ethernet link\"],\"type\":\"network\",\"description\":\"\"}",
                "{\"id\":\"link\",\"name\":\"link\",\"aliases\":[],\"type\":\"network\",\"description\":\"\"}") + "\n");
        Files.write(bundle.resolve("corpus.txt"), CORPUS);
        Path out = tmp.resolve("dom");
        VocabExtension.Result r = extend(model.toString(), out, 3, 2, DomainBundle.open(bundle));
        // Entity words by their own score (ethernet 9 before erlang 2, each once although named three times), then the corpus's;
        // "link" is one token already, "otp" is all [UNK] here, and clisp (count 1) is under --min-count 2.
        assertEquals(List.of("ethernet", "erlang", "lisp"), r.added().stream().map(VocabChoice.Word::text).toList());
        assertEquals(List.of(true, true, false), r.added().stream().map(VocabChoice.Word::entity).toList());
        assertTrue(r.namesAfter().perWord() < r.namesBefore().perWord());

        // Extending the extended model again adds none of them a second time.
        Path twice = tmp.resolve("twice");
        VocabExtension.Result r2 = extend(out.toString(), twice, 5, 1, null);
        assertEquals(List.of("clisp"), r2.added().stream().map(VocabChoice.Word::text).toList());
        assertEquals(V + 3, r2.firstId());
        List<String> lines = Files.readAllLines(twice.resolve("vocab.txt"));
        assertEquals(lines.size(), lines.stream().distinct().count(), "no line twice");
    }
}
