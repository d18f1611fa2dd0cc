package dev.infuse.inject.nmg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.InfuseException;
import dev.infuse.io.Provenance;
import dev.infuse.mask.TokenInstance;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.TinyRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy on a tiny random model (2 layers, hidden 32): what it may choose, top-k at use, its directory. */
class NmgPolicyTest {
    @TempDir
    static Path tmp;
    static MaskedLm lm;
    static PolicyConfig config;

    @BeforeAll
    static void setUp() {
        TinyRun.oneThread();
        var tok = TinyRun.tokenizer();
        lm = new MaskedLm(BertModel.random(BertConfig.tiny(tok.vocabSize()), 5), tok, "tiny");
        config = PolicyConfig.forModel(lm.model().config(), lm.fingerprint());
    }

    @AfterAll
    static void tearDown() {
        lm.close();
    }

    /** [CLS] words... [SEP] of {@code n} words from the tiny vocabulary. */
    static TokenInstance text(int n, int offset) {
        int[] ids = new int[n + 2];
        boolean[] special = new boolean[n + 2];
        int[] words = new int[n + 2];
        ids[0] = 2;
        special[0] = true;
        words[0] = -1;
        for (int i = 1; i <= n; i++) {
            ids[i] = 5 + (i + offset) % 20;
            words[i] = i - 1;
        }
        ids[n + 1] = 3;
        special[n + 1] = true;
        words[n + 1] = -1;
        return TokenInstance.of(ids, special, words);
    }

    static List<TokenInstance> texts() {
        return List.of(text(30, 0), text(9, 3), text(45, 7)); // mixed lengths: the batch is padded
    }

    static List<Random> rngs(long seed) {
        List<Random> r = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            r.add(new Random(seed + i));
        }
        return r;
    }

    @Test
    void choosesKTokensNeverASpecialOne() {
        try (PolicyNet net = PolicyNet.random(config, "policy", 1); NmgMasking learning = NmgMasking.learning(net)) {
            List<boolean[]> chosen = learning.choose(lm.model(), texts(), rngs(9));
            int[] expectedK = {1, 1, 2}; // max(1, floor(0.05 · 30)), max(1, floor(0.05 · 9)), floor(0.05 · 45)
            for (int i = 0; i < 3; i++) {
                boolean[] c = chosen.get(i);
                int n = 0;
                for (boolean b : c) {
                    n += b ? 1 : 0;
                }
                assertEquals(expectedK[i], n, "text " + i);
                assertFalse(c[0] || c[c.length - 1], "a special token was chosen in text " + i);
                NmgMasking.Choice ch = learning.choices().get(i);
                double total = 0;
                for (int t = 0; t < ch.logProbs().length; t++) {
                    total += Math.exp(ch.logProbs()[t]);
                }
                assertEquals(1.0, total, 1e-4, "π sums to one over the text's own tokens, padding left out");
                assertEquals(0.0, Math.exp(ch.logProbs()[0]), 0.0, "[CLS] has probability 0");
            }
        }
    }

    @Test
    void topKAtUseIsDeterministicWhateverTheGenerator() {
        try (NmgMasking atUse = NmgMasking.atUse(PolicyNet.random(config, "policy", 1))) {
            List<boolean[]> a = atUse.choose(lm.model(), texts(), rngs(1));
            List<boolean[]> b = atUse.choose(lm.model(), texts(), rngs(999));
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(a.get(i), b.get(i), "text " + i);
            }
            // The same text alone, unpadded, gets the same choice as inside the padded batch.
            assertArrayEquals(a.get(1), atUse.choose(lm.model(), List.of(texts().get(1)), rngs(5)).get(0));
        }
    }

    @Test
    void topKTakesTheMostProbableAndBreaksTiesByPosition() {
        float[] lp = {-9f, -1f, -2f, -1f, -0.5f};
        boolean[] maskable = {false, true, true, true, true};
        assertArrayEquals(new int[] {1, 4}, Actions.topK(lp, maskable, 2));
        assertArrayEquals(new int[] {1, 3, 4}, Actions.topK(lp, maskable, 3));
        int[] drawn = Actions.sample(lp, maskable, 4, new Random(1));
        assertArrayEquals(new int[] {1, 2, 3, 4}, drawn, "without replacement, only maskable tokens");
    }

    @Test
    void aSavedPolicyChoosesAsTheLiveOne() {
        Path dir = tmp.resolve("policy");
        try (PolicyNet net = PolicyNet.random(config, "player", 4); NmgMasking live = NmgMasking.atUse(PolicyNet.of(config, "x", net.export(), "player"))) {
            PolicyFiles.save(dir, net, Provenance.of("nmg-policy"));
            PolicyConfig back = PolicyFiles.config(dir, lm.model().config(), lm.fingerprint());
            assertEquals(config, back);
            try (NmgMasking loaded = NmgMasking.atUse(PolicyFiles.load(dir, back, "policy"))) {
                List<boolean[]> a = live.choose(lm.model(), texts(), rngs(1));
                List<boolean[]> b = loaded.choose(lm.model(), texts(), rngs(1));
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(a.get(i), b.get(i));
                }
            }
        }
    }

    @Test
    void aPolicyForAnotherModelIsOneClearError() {
        Path dir = tmp.resolve("other");
        try (PolicyNet net = PolicyNet.random(config, "policy", 4)) {
            PolicyFiles.save(dir, net, Provenance.of("nmg-policy"));
        }
        BertConfig wider = new BertConfig("bert", 40, 64, 2, 4, 64, "gelu", 0.1f, 0.1f, 64, 2, 1e-12f, 0, 0.02f);
        InfuseException e = assertThrows(InfuseException.class, () -> PolicyFiles.config(dir, wider, "abc"));
        assertEquals("NMG policy " + dir + " reads hidden states of size 32, this model's are 64; it was trained for another model",
                e.getMessage());
        e = assertThrows(InfuseException.class, () -> PolicyFiles.config(dir, lm.model().config(), "0123456789abcdef"));
        assertTrue(e.getMessage().startsWith("NMG policy " + dir + " was trained for another model (fingerprint "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
