package dev.infuse.inject.pelt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFiles;
import dev.infuse.domain.DomainBundle;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.domain.Entity;
import dev.infuse.inject.table.ChunkedBuild;
import dev.infuse.inject.table.RowSums;
import dev.infuse.io.Provenance;
import dev.infuse.model.BertInput;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.Encoding;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a PELT table: for every kept mention, the frozen masked LM reads the window with the mention
 * replaced by one mask, and the MLM head's transform of the mask's final state is added to the entity's sum.
 *
 * <p>The corpus streams through the shared {@link ChunkedBuild} engine: fixed chunks of occurrences in corpus
 * order, tokenized on a producer thread and sorted by length inside so batches barely pad, checkpointed
 * and resumed bit-identically.
 */
public final class PeltBuilder {
    /** What a build did, for reports and tests. */
    public record Report(EntityTable table, long windows, int entitiesWithoutMentions, int chunksResumed, double seconds) {}

    private PeltBuilder() {}

    public static Report build(MaskedLm lm, DomainBundle bundle, PeltOptions options, Path output, Consumer<String> log) {
        return build(lm, bundle, options, output, log, chunks -> { });
    }

    /** As above; {@code afterChunk} hears the number of chunks done after each one (and its checkpoint). */
    static Report build(MaskedLm lm, DomainBundle bundle, PeltOptions options, Path output, Consumer<String> log,
            java.util.function.IntConsumer afterChunk) {
        long t0 = System.nanoTime();
        Occurrences occ = new Occurrences(bundle, options);
        int[] counts = occ.count();
        int rows = counts.length;
        int absent = 0;
        long total = 0;
        for (int c : counts) {
            absent += c == 0 ? 1 : 0;
            total += Math.min(c, options.maxOccurrences());
        }
        if (absent > 0) {
            log.accept("warning: " + absent + " of " + rows + " selected entities are never mentioned in the corpus; they get no row");
        }
        if (total == 0) {
            throw new InfuseException("none of the " + rows + " selected entities is mentioned in the corpus; refusing to write an empty table");
        }
        int h = lm.model().config().hiddenSize();
        String corpus = corpusHash(bundle); // hashed once: it keys the resume state and goes into provenance
        // A bf16 build's sums differ from fp32's in the last digits: never resume one from the other. fp32's key is unchanged.
        String key = lm.fingerprint() + "|" + corpus + "|" + options.key() + dev.infuse.inject.table.RowSums.precisionKey(lm.model());
        RowSums state = RowSums.resume(output, key, rows, h, log);
        int resumed = state.chunksDone();
        ChunkedBuild<Occurrences.Spot, MaskWindow> engine = new ChunkedBuild<>(new Work(lm, occ, options),
                new ChunkedBuild.Settings("pelt build", "occurrences", options.chunkSize(), options.batchSize(), options.checkpointSeconds()));
        long windows = engine.run(state, total, afterChunk);
        EntityTable table = toTable(state, occ.selected(), lm.fingerprint());
        table.write(output);
        Provenance.of("pelt-table")
                .input("model", lm.source())
                .input("model_fingerprint", lm.fingerprint())
                .input("domain", bundle.dir().toString())
                .input("corpus_sha256", corpus)
                .setting("max_occurrences", options.maxOccurrences())
                .setting("max_seq_length", options.maxSeqLength())
                .setting("entities", new java.util.TreeSet<>(options.entities()))
                .setting("seed", options.seed())
                .setting("rows", table.size())
                .setting("windows", windows + (long) resumed * options.chunkSize())
                .write(provenanceFile(output));
        state.delete();
        return new Report(table, windows, absent, resumed, (System.nanoTime() - t0) / 1e9);
    }

    /** What a table's provenance file adds to the table's name. */
    public static final String PROVENANCE_SUFFIX = ".provenance.json";

    public static Path provenanceFile(Path table) {
        return table.resolveSibling(table.getFileName() + PROVENANCE_SUFFIX);
    }

    /** PELT's part of the shared engine: kept mentions in corpus order, tokenized per chunk, one mask vector each. */
    private record Work(MaskedLm lm, Occurrences occ, PeltOptions options) implements ChunkedBuild.Work<Occurrences.Spot, MaskWindow> {
        @Override
        public void forEach(Consumer<Occurrences.Spot> sink) {
            occ.forEachKept(sink);
        }

        @Override
        public List<MaskWindow> prepare(List<Occurrences.Spot> spots) {
            List<MaskWindow> chunk = new ArrayList<>(spots.size());
            Encoding cached = null;
            Object cachedFor = null;
            for (Occurrences.Spot s : spots) {
                if (s.passage() != cachedFor) {
                    cached = lm.tokenizer().encode(s.passage().text());
                    cachedFor = s.passage();
                }
                MaskWindow w = Occurrences.window(lm.tokenizer(), cached, s, options.maxSeqLength());
                if (w != null) {
                    chunk.add(w);
                }
            }
            return batchOrder(chunk);
        }

        @Override
        public int row(MaskWindow w) {
            return w.row();
        }

        @Override
        public float[] encode(List<MaskWindow> batch) {
            return maskVectors(lm, batch, 0);
        }
    }

    /** A chunk's windows in the order they are batched: by length, equal lengths in corpus order (the sort is stable). */
    static List<MaskWindow> batchOrder(List<MaskWindow> chunk) {
        chunk.sort(Comparator.comparingInt(w -> w.ids().length));
        return chunk;
    }

    /** The finished table: only entities with at least one occurrence get a row. */
    static EntityTable toTable(RowSums state, List<Entity> entities, String fingerprint) {
        int hidden = state.hidden();
        float[] sums = new float[state.rows() * hidden];
        float[] counts = new float[state.rows()];
        for (int r = 0; r < state.rows(); r++) {
            System.arraycopy(state.sum(r), 0, sums, r * hidden, hidden);
            counts[r] = state.count(r);
        }
        return toTable(sums, counts, hidden, entities, fingerprint);
    }

    static EntityTable toTable(float[] sums, float[] counts, int hidden, List<Entity> entities, String fingerprint) {
        List<EntityTable.Row> rows = new ArrayList<>();
        List<Integer> keep = new ArrayList<>();
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] > 0) {
                Entity e = entities.get(r);
                rows.add(new EntityTable.Row(e.id(), e.name(), e.aliases(), e.type()));
                keep.add(r);
            }
        }
        float[] s = new float[keep.size() * hidden];
        float[] c = new float[keep.size()];
        for (int i = 0; i < keep.size(); i++) {
            System.arraycopy(sums, keep.get(i) * hidden, s, i * hidden, hidden);
            c[i] = counts[keep.get(i)];
        }
        return new EntityTable(rows, s, c, hidden, fingerprint);
    }

    /**
     * The MLM transform at each window's mask, (N, H) flattened. {@code padTo} 0 pads to the longest window
     * of the batch; a positive value pads every window to that length (the reference recipe).
     */
    static float[] maskVectors(MaskedLm lm, List<MaskWindow> batch, int padTo) {
        Tensors.noGrad();
        int t = padTo > 0 ? padTo : batch.stream().mapToInt(w -> w.ids().length).max().orElseThrow();
        long[][] ids = new long[batch.size()][t];
        int[][] mask = new int[batch.size()][t];
        long[] at = new long[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            MaskWindow w = batch.get(b);
            java.util.Arrays.fill(ids[b], lm.tokenizer().padId());
            System.arraycopy(w.ids(), 0, ids[b], 0, w.ids().length);
            java.util.Arrays.fill(mask[b], 0, w.ids().length, 1);
            at[b] = (long) b * t + w.maskIndex();
        }
        try (NDManager m = Engines.newManager()) {
            BertInput in = BertInput.builder().setInputIds(ids).optPaddingMask(mask).build();
            NDArray hidden = lm.model().forward(m, in, false).lastHidden(); // (B, T, H)
            NDArray picked = hidden.reshape(-1, lm.model().config().hiddenSize()).get(Tensors.copyOf(m, at, new Shape(at.length)));
            return lm.model().mlmTransform(picked).toFloatArray(); // (B, H)
        }
    }

    static String corpusHash(DomainBundle bundle) {
        StringBuilder s = new StringBuilder();
        for (String name : List.of(BundleFiles.ENTITIES, BundleFiles.CORPUS_JSONL, BundleFiles.CORPUS_TEXT)) {
            Path f = BundleFiles.find(bundle.dir(), name);
            if (f != null) {
                s.append(f.getFileName()).append('=').append(Provenance.sha256(f)).append(';');
            }
        }
        return s.toString();
    }
}
