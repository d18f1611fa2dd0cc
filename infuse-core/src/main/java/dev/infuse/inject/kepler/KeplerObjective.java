package dev.infuse.inject.kepler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.kge.KgeModel;
import dev.infuse.model.Batches;
import dev.infuse.model.BertModel;
import dev.infuse.model.InputRow;
import dev.infuse.model.io.HostTensor;
import dev.infuse.text.Tokenizer;
import dev.infuse.train.MlmForward;
import dev.infuse.train.Objective;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * KEPLER's knowledge-embedding term beside MLM. Each MLM micro-batch brings a batch of triples from the objective's
 * own stream ({@link TripleStream}); the entities of the triples and of their corruptions are encoded from their
 * descriptions by the same encoder, in one forward pass of their own (each entity once, however often the batch names
 * it), and scored against learned relation vectors with {@link KeplerLoss}. The relation vectors are parameters named
 * {@code kepler.relation.<id>}, one per relation, so the saved {@code modules.safetensors} says by itself which row is
 * which relation. The stream's position is checkpoint state, so a resumed run draws the same triples.
 */
final class KeplerObjective implements Objective {
    static final String RELATION = "kepler.relation.";
    static final String COUNTER = "kepler.triple_batches";

    private final KeplerGraph graph;
    private final Tokenizer tok;
    private final int maxTokens;
    private final float gamma;
    private final TripleStream stream;
    private final NDManager manager = Engines.newManager();
    private final Map<String, NDArray> relations = new LinkedHashMap<>();
    private final Map<Integer, InputRow> rows = new HashMap<>(); // tokenised descriptions, each made once
    private long batches;

    KeplerObjective(KeplerGraph graph, Tokenizer tok, int hidden, int maxTokens, int triplesPerBatch, float gamma, long seed) {
        this.graph = graph;
        this.tok = tok;
        this.maxTokens = maxTokens;
        this.gamma = gamma;
        this.stream = new TripleStream(graph.triples(), graph.entityCount(), triplesPerBatch, seed);
        // RotatE's and KEPLER's initialisation: uniform in +-(gamma + 2) / H, small beside the encoder's states
        float range = (gamma + 2f) / hidden;
        Random rng = new Random(seed + 11);
        for (String id : graph.ids().relations()) {
            float[] v = new float[hidden];
            for (int i = 0; i < hidden; i++) {
                v[i] = (float) ((rng.nextDouble() * 2 - 1) * range);
            }
            relations.put(RELATION + id, Tensors.copyOf(manager, v, new Shape(hidden)));
        }
    }

    @Override
    public NDArray loss(MlmForward f) {
        NDManager s = f.manager();
        TripleStream.Batch b = stream.batch(batches);
        if (f.training()) {
            batches++;
        }
        // every entity the batch names, once: (U) rows of descriptions
        Map<Integer, Integer> slot = new LinkedHashMap<>();
        for (int[] part : new int[][] {b.heads(), b.tails(), b.negativeHeads(), b.negativeTails()}) {
            for (int e : part) {
                slot.putIfAbsent(e, slot.size());
            }
        }
        List<InputRow> in = new ArrayList<>();
        slot.keySet().forEach(e -> in.add(rows.computeIfAbsent(e, x -> DescriptionRows.row(tok, graph.descriptions().get(x), maxTokens))));
        BertModel model = f.model();
        NDArray entities = DescriptionRows.pool(model.forward(s, Batches.padded(in, tok.padId(), model.config()), f.training()).lastHidden()); // (U, H)
        NDArray table = relationTable(s); // (R, H)
        return KeplerLoss.loss(s, pick(s, b.heads(), slot, entities), KgeModel.lookup(Tensors.copyOf(s, longs(b.relations()), new Shape(b.size())), table),
                pick(s, b.tails(), slot, entities), pick(s, b.negativeHeads(), slot, entities), pick(s, b.negativeTails(), slot, entities), gamma);
    }

    /** The relation vectors stacked in dictionary order, (R, H), owned by the step's scope rather than the parameters'. */
    private NDArray relationTable(NDManager s) {
        NDArray table = NDArrays.stack(new NDList(relations.values()));
        table.attach(s);
        return table;
    }

    /** The rows of {@code pooled} for {@code entities}, (K, H); the ids come first so the result is the step's. */
    private static NDArray pick(NDManager s, int[] entities, Map<Integer, Integer> slot, NDArray pooled) {
        long[] at = new long[entities.length];
        for (int i = 0; i < at.length; i++) {
            at[i] = slot.get(entities[i]);
        }
        return KgeModel.lookup(Tensors.copyOf(s, at, new Shape(at.length)), pooled);
    }

    private static long[] longs(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    @Override
    public Map<String, NDArray> parameters() {
        return relations;
    }

    @Override
    public boolean decays(String name) {
        return false; // embedding rows, as in the knowledge-graph embedding models
    }

    /** The stream's position as two floats of 24 bits each: exact up to 2^48 batches in a float32 checkpoint. */
    @Override
    public Map<String, HostTensor> checkpointState() {
        return Map.of(COUNTER, new HostTensor(new long[] {2}, FloatBuffer.wrap(new float[] {(float) (batches >>> 24), (float) (batches & 0xFFFFFF)})));
    }

    @Override
    public void restoreCheckpointState(Map<String, HostTensor> state) {
        HostTensor t = state.get(COUNTER);
        if (t != null) {
            batches = ((long) t.data().get(0) << 24) | (long) t.data().get(1);
        }
    }

    long batchesDrawn() {
        return batches;
    }

    @Override
    public void close() {
        manager.close();
    }
}
