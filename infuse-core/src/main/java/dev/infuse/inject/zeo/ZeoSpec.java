package dev.infuse.inject.zeo;

import dev.infuse.InfuseException;
import dev.infuse.io.Provenance;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.Objective;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code infuse pretrain --method zeo}: which objective to build and with what, checked before any model
 * is loaded so a bad flag costs nothing.
 *
 * @param inject 0 = MLM only, 1 = triplet only, 2 = MLM + weight * triplet
 * @param vectors the knowledge vector table; required unless inject is 0
 * @param weight W of inject 2
 * @param negatives negatives per mention
 */
public record ZeoSpec(int inject, Path vectors, float weight, int negatives) implements Objective.Spec {
    /** The ZEO flags without the vector file, for commands that build it themselves. */
    public record Settings(int inject, float weight, int negatives) {}

    /** {@code pretrain --method zeo}: its flags, and the checks that need the command's other inputs. */
    public static final dev.infuse.inject.Objectives.Type TYPE = new dev.infuse.inject.Objectives.Type() {
        @Override
        public java.util.Set<String> flags() {
            return java.util.Set.of("--inject", "--vectors", "--contrastive-weight", "--neg-entity", "--templates");
        }

        @Override
        public Objective.Spec spec(dev.infuse.inject.Objectives.Args a) {
            int inject = a.get("--inject", Integer.class);
            if (inject != 0 && a.domain() == null) {
                throw new InfuseException("--method zeo --inject " + inject + " needs --domain: the triplets read its linked mentions");
            }
            return new ZeoSpec(inject, a.get("--vectors", Path.class), a.get("--contrastive-weight", Float.class),
                    a.get("--neg-entity", Integer.class));
        }
    };

    public ZeoSpec {
        if (inject < 0 || inject > 2) {
            throw new InfuseException("--inject must be 0 (MLM), 1 (triplet) or 2 (both), found " + inject);
        }
        if (inject != 0 && vectors == null) {
            throw new InfuseException("--inject " + inject + " needs --vectors FILE (build one with infuse zeo vectors)");
        }
        if (!(weight >= 0) || Float.isInfinite(weight)) {
            throw new InfuseException("--contrastive-weight must be 0 or positive and finite, found " + weight);
        }
        if (inject != 0 && negatives < 1) {
            throw new InfuseException("--neg-entity must be at least 1 for the triplet loss, found " + negatives);
        }
    }

    /** ZEO's mentions are what it teaches, so they are what MLM hides unless --masking says otherwise. */
    @Override
    public String defaultMasking() {
        return "entity";
    }

    @Override
    public Map<String, Object> identity() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "zeo");
        m.put("inject", inject);
        if (inject != 0) {
            m.put("vectors-sha256", Provenance.sha256(vectors));
            m.put("neg-entity", negatives);
        }
        if (inject == 2) {
            m.put("contrastive-weight", weight);
        }
        return m;
    }

    @Override
    public Objective open(MaskedLm lm, boolean resumed, PrintStream log) {
        if (inject == 0) {
            return new ZeoObjective(0, weight, negatives, null, null);
        }
        KnowledgeVectors v = KnowledgeVectors.read(vectors);
        if (v.hidden() != lm.model().config().hiddenSize()) {
            throw new InfuseException("knowledge vectors " + vectors + " have size " + v.hidden() + " but the model's hidden size is "
                    + lm.model().config().hiddenSize());
        }
        if (!resumed && !lm.fingerprint().equals(v.modelFingerprint())) {
            log.println("infuse: warning: " + vectors + " was built by another model than " + lm.source()
                    + "; ZEO builds the vectors with the base model it trains");
        }
        return new ZeoObjective(inject, weight, negatives, v, new NegativeSampler(v, vectors.toString()));
    }
}
