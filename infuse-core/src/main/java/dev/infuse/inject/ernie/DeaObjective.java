package dev.infuse.inject.ernie;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.model.BertInput;
import dev.infuse.train.LinearHead;
import dev.infuse.train.Losses;
import dev.infuse.train.MlmBatch;
import dev.infuse.train.MlmForward;
import dev.infuse.train.Objective;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ERNIE's denoising entity auto-encoder (dEA): each linked mention's first-token final state, projected to the
 * KG space ({@code W·h}), scores every entity of the batch by a dot product with its frozen vector, and
 * cross-entropy pulls it to the true one. The fusion layers meanwhile see the alignments with dEA's noise
 * ({@link Alignments}), so the model must recover entities it was not given.
 */
final class DeaObjective implements Objective {
    static final int MENTIONS_PER_WINDOW = 32;

    private final EntityVectors vectors;
    private final NDManager manager = Engines.newManager();
    private final NDArray table; // (N, d), frozen
    private final LinearHead head; // H -> d

    DeaObjective(EntityVectors vectors, int hidden, long seed) {
        this.vectors = vectors;
        this.table = Tensors.copyOf(manager, vectors.vectors(), new Shape(vectors.size(), vectors.dim()));
        this.head = new LinearHead("ernie.dea", vectors.dim(), hidden, seed);
    }

    @Override
    public int linksPerInstance() {
        return MENTIONS_PER_WINDOW;
    }

    @Override
    public boolean links(String entity) {
        return vectors.contains(entity);
    }

    @Override
    public BertInput input(MlmBatch batch) {
        return batch.linked().isEmpty() ? batch.input() : batch.input().withContext(Alignments.context(batch, vectors));
    }

    @Override
    public NDArray loss(MlmForward f) {
        MlmBatch batch = f.batch();
        List<Integer> candidates = Alignments.candidates(batch.linked(), vectors);
        if (candidates.isEmpty()) {
            return null;
        }
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            index.put(candidates.get(i), i);
        }
        int t = batch.input().length();
        long[] first = batch.linked().stream().filter(l -> vectors.contains(l.entity())).mapToLong(l -> (long) l.row() * t + l.start()).toArray();
        long[] target = batch.linked().stream().filter(l -> vectors.contains(l.entity())).mapToLong(l -> index.get(vectors.row(l.entity()))).toArray();
        long[] rows = candidates.stream().mapToLong(Integer::longValue).toArray();
        NDManager s = f.manager();
        int n = first.length;
        NDArray flat = f.lastHidden().reshape(-1, f.model().config().hiddenSize()); // (B*T, H)
        NDArray states = flat.get(Tensors.copyOf(s, first, new Shape(n))); // (N, H)
        NDArray projected = head.apply(states); // (N, d)
        NDArray ids = Tensors.copyOf(s, rows, new Shape(rows.length));
        NDArray entities = ids.getNDArrayInternal().embedding(ids, table, ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow(); // (C, d)
        NDArray logits = projected.matMul(entities.transpose()); // (N, C)
        return Losses.crossEntropy(logits, Tensors.copyOf(s, target, new Shape(n))); // ()
    }

    @Override
    public Map<String, NDArray> parameters() {
        return head.parameters();
    }

    @Override
    public void close() {
        head.close();
        manager.close();
    }
}
