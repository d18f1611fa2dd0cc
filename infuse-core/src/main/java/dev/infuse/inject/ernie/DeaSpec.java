package dev.infuse.inject.ernie;

import dev.infuse.inject.Objectives;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.HookSpec;
import dev.infuse.train.Objective;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --method mlm+dea --domain DIR --ernie-embeddings KGE [--ernie-layers 6] [--ernie-entity-heads 0]}: ERNIE (THU) pretraining, MLM
 * beside the denoising entity auto-encoder, with the fusion layers ({@link ErnieSpec}) added to the encoder.
 *
 * @param fusion the fusion layers this objective trains and reads
 * @param seed seeds the dEA head
 */
public record DeaSpec(ErnieSpec fusion, long seed) implements Objective.Spec {
    public static final Objectives.Type TYPE = new Objectives.Type() {
        @Override
        public Set<String> flags() {
            return Set.of("--ernie-embeddings", "--ernie-layers", "--ernie-entity-heads");
        }

        @Override
        public Objective.Spec spec(Objectives.Args a) {
            Integer layers = a.get("--ernie-layers", Integer.class);
            Integer heads = a.get("--ernie-entity-heads", Integer.class);
            return new DeaSpec(new ErnieSpec(a.get("--ernie-embeddings", Path.class), a.domain(), layers == null ? ErnieSpec.DEFAULT_LAYERS : layers,
                    heads == null ? 0 : heads), a.get("--seed", Long.class));
        }
    };

    @Override
    public Map<String, Object> identity() {
        return Map.of(); // the fusion's settings are the hook's identity, which the run adds
    }

    @Override
    public List<HookSpec> hooks() {
        return List.of(fusion);
    }

    @Override
    public Objective open(MaskedLm lm, boolean resumed, PrintStream log) {
        EntityVectors v = EntityVectors.fromKge(fusion.embeddings(), fusion.domain());
        log.println("infuse: ernie: " + v.size() + " entities with " + v.dim() + "-dimensional KG vectors, fused into the top " + fusion.layers() + " layers"
                + (fusion.entityHeads() > 0 ? ", after a " + fusion.entityHeads() + "-head entity self-attention" : ""));
        return new DeaObjective(v, lm.model().config().hiddenSize(), seed);
    }
}
