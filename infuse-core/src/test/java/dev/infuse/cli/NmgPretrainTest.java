package dev.infuse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.infuse.inject.nmg.PolicyConfig;
import dev.infuse.inject.nmg.PolicyFiles;
import dev.infuse.inject.nmg.PolicyNet;
import dev.infuse.io.Provenance;
import dev.infuse.model.BertConfig;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.TinyRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretrain --masking nmg:DIR} on a tiny model, and a policy that does not fit as one line. */
class NmgPretrainTest {
    @TempDir
    static Path tmp;
    static Path model;
    static Path policy;
    static Path foreign;

    @BeforeAll
    static void setUp() {
        TinyRun.oneThread();
        model = TinyRun.model(tmp.resolve("tiny"));
        policy = tmp.resolve("policy");
        try (MaskedLm lm = MaskedLm.load(model.toString());
                PolicyNet net = PolicyNet.random(PolicyConfig.forModel(lm.model().config(), lm.fingerprint()), "policy", 3)) {
            PolicyFiles.save(policy, net, Provenance.of("nmg-policy"));
        }
        foreign = tmp.resolve("foreign");
        var tok = TinyRun.tokenizer();
        try (MaskedLm other = new MaskedLm(BertModel.random(BertConfig.tiny(tok.vocabSize()), 99), tok, "other");
                PolicyNet net = PolicyNet.random(PolicyConfig.forModel(other.model().config(), other.fingerprint()), "policy", 3)) {
            PolicyFiles.save(foreign, net, Provenance.of("nmg-policy"));
        }
    }

    static CliRun pretrain(String masking, Path out) throws Exception {
        return CliRun.of("pretrain", "--model", model.toString(), "--corpus", TinyRun.corpus(tmp.resolve("corpus.txt")).toString(),
                "--masking", masking, "--max-steps", "3", "--batch-size", "2", "--max-seq-length", "16", "--output-dir", out.toString());
    }

    @Test
    void pretrainsWithAPolicy() throws Exception {
        Path out = tmp.resolve("run");
        CliRun r = pretrain("nmg:" + policy, out);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("masking with the NMG policy in " + policy), r.err());
        assertTrue(Files.readString(out.resolve("provenance.json")).contains("nmg-policy-sha256"));
        assertEquals(3, Files.readAllLines(out.resolve("metrics.jsonl")).size());
    }

    @Test
    void aResumeWithAnotherPolicyIsRefused() throws Exception {
        Path other = tmp.resolve("policy-2");
        try (MaskedLm lm = MaskedLm.load(model.toString());
                PolicyNet net = PolicyNet.random(PolicyConfig.forModel(lm.model().config(), lm.fingerprint()), "policy", 4)) {
            PolicyFiles.save(other, net, Provenance.of("nmg-policy"));
        }
        Path out = tmp.resolve("resumed");
        assertEquals(0, pretrain("nmg:" + policy, out).code());
        CliRun again = CliRun.of("pretrain", "--model", model.toString(), "--corpus", tmp.resolve("corpus.txt").toString(), "--masking",
                "nmg:" + other, "--max-steps", "3", "--batch-size", "2", "--max-seq-length", "16", "--output-dir", out.toString(), "--resume");
        assertEquals(1, again.code(), again.err());
        String last = again.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("infuse: cannot resume: " + out + " holds a different run (nmg-policy-sha256: "), last);
    }

    @Test
    void aPolicyOfAnotherModelIsOneLine() throws Exception {
        CliRun r = pretrain("nmg:" + foreign, tmp.resolve("refused"));
        assertEquals(1, r.code(), r.err());
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("infuse: NMG policy " + foreign + " was trained for another model (fingerprint "), r.err());
    }

    @Test
    void aPolicyWithoutItsDirectoryIsOneLine() throws Exception {
        CliRun r = pretrain("nmg", tmp.resolve("nodir"));
        assertEquals(1, r.code(), r.err());
        assertEquals("infuse: --masking nmg: a learned policy is nmg:DIR, DIR the --output-dir of infuse nmg train", r.err().strip());
    }
}
