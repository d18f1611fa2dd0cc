package dev.infuse.inject.zeo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFiles;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
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
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Builds ZEO's knowledge vectors: the frozen base model reads each entity's description and its final
 * layer is pooled into one vector. Runs on the shared resumable {@link ChunkedBuild} engine, so a killed
 * build over a large bundle continues where it stopped.
 */
public final class VectorBuilder {
    /**
     * MEAN averages the final layer over the description's real tokens ([CLS] and [SEP] included, padding
     * not), the ZEO recipe for a masked LM; CLS takes the [CLS] state.
     */
    public enum Pooling {
        MEAN, CLS;

        public static Pooling parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "mean" -> MEAN;
                case "cls" -> CLS;
                default -> throw new InfuseException("unknown --pooling \"" + s + "\": expected mean or cls");
            };
        }
    }

    /** @param maxSeqLength descriptions are cut to this many tokens, specials included */
    public record Options(Pooling pooling, int maxSeqLength, int batchSize, int chunkSize, double checkpointSeconds) {
        public Options {
            if (maxSeqLength < 3) {
                throw new InfuseException("--max-seq-length must be at least 3, got " + maxSeqLength);
            }
        }

        public static Options defaults() {
            return new Options(Pooling.MEAN, 128, 32, 1024, 30);
        }

        String key() {
            return pooling + "|" + maxSeqLength + "|" + chunkSize;
        }
    }

    public record Report(KnowledgeVectors vectors, int skipped, int chunksResumed) {}

    /** What a table's provenance file adds to the table's name. */
    public static final String PROVENANCE_SUFFIX = ".provenance.json";

    /** A tokenized description, {@code [CLS] body [SEP]}. */
    private record Desc(int row, long[] ids) {}

    private VectorBuilder() {}

    public static Report build(MaskedLm lm, DomainBundle bundle, Options options, Path output, Consumer<String> log) {
        return build(lm, bundle, options, output, log, n -> { });
    }

    /** The entities that get a vector, in row order: those with a description. */
    public static List<Entity> encoded(List<Entity> entities) {
        return entities.stream().filter(e -> !e.description().isBlank()).toList();
    }

    /**
     * The vectors of rows {@code [from, to)} of {@code kept}, (to - from, H) flattened, computed as the builder
     * computes the chunk that starts at {@code from} (same order, batches and padding) and added to a zero row as its
     * sums are; for jobs that split a build at chunk boundaries (infuse-spark).
     */
    public static float[] chunk(MaskedLm lm, List<Entity> kept, int from, int to, Options options) {
        int h = lm.model().config().hiddenSize();
        Work work = new Work(lm, kept, options);
        List<Integer> rows = new ArrayList<>();
        for (int r = from; r < to; r++) {
            rows.add(r);
        }
        List<Desc> prepared = work.prepare(rows);
        int batchSize = Math.min(options.batchSize(), options.chunkSize());
        float[] out = new float[(to - from) * h];
        for (int i = 0; i < prepared.size(); i += batchSize) {
            List<Desc> batch = prepared.subList(i, Math.min(prepared.size(), i + batchSize));
            float[] v = work.encode(batch);
            for (int b = 0; b < batch.size(); b++) {
                int dst = (batch.get(b).row() - from) * h;
                for (int d = 0; d < h; d++) {
                    out[dst + d] += v[b * h + d];
                }
            }
        }
        return out;
    }

    /** The table of {@code kept}'s vectors, (rows, H) flattened in row order. */
    public static KnowledgeVectors table(List<Entity> kept, float[] vectors, int hidden, String modelFingerprint) {
        List<KnowledgeVectors.Row> rows = new ArrayList<>();
        for (Entity e : kept) {
            rows.add(new KnowledgeVectors.Row(e.id(), e.name(), e.type()));
        }
        return new KnowledgeVectors(rows, vectors, hidden, modelFingerprint);
    }

    static Report build(MaskedLm lm, DomainBundle bundle, Options options, Path output, Consumer<String> log, IntConsumer afterChunk) {
        List<Entity> kept = encoded(bundle.entities());
        int skipped = bundle.entities().size() - kept.size();
        if (kept.isEmpty()) {
            throw new InfuseException("none of the " + bundle.entities().size() + " entities of " + bundle.dir()
                    + " has a description; knowledge vectors are encoded from descriptions");
        }
        if (skipped > 0) {
            log.accept("skipped " + skipped + " of " + bundle.entities().size() + " entities without a description");
        }
        int h = lm.model().config().hiddenSize();
        String entitiesHash = Provenance.sha256(BundleFiles.find(bundle.dir(), BundleFiles.ENTITIES));
        RowSums state = RowSums.resume(output, "zeo|" + lm.fingerprint() + "|" + entitiesHash + "|" + options.key()
                + dev.infuse.inject.table.RowSums.precisionKey(lm.model()), kept.size(), h, log);
        int resumed = state.chunksDone();
        new ChunkedBuild<>(new Work(lm, kept, options), new ChunkedBuild.Settings("zeo vectors", "entities", options.chunkSize(),
                Math.min(options.batchSize(), options.chunkSize()), options.checkpointSeconds())).run(state, kept.size(), afterChunk);
        float[] v = new float[kept.size() * h];
        for (int r = 0; r < kept.size(); r++) {
            System.arraycopy(state.sum(r), 0, v, r * h, h);
        }
        KnowledgeVectors table = table(kept, v, h, lm.fingerprint());
        table.write(output);
        Provenance.of("zeo-vectors")
                .input("model", lm.source())
                .input("model_fingerprint", lm.fingerprint())
                .input("domain", bundle.dir().toString())
                .input("entities_sha256", entitiesHash)
                .setting("pooling", options.pooling().name().toLowerCase(Locale.ROOT))
                .setting("max_seq_length", options.maxSeqLength())
                .setting("rows", table.size())
                .setting("skipped_without_description", skipped)
                .write(output.resolveSibling(output.getFileName() + PROVENANCE_SUFFIX));
        state.delete();
        return new Report(table, skipped, resumed);
    }

    private record Work(MaskedLm lm, List<Entity> kept, Options options) implements ChunkedBuild.Work<Integer, Desc> {
        @Override
        public void forEach(Consumer<Integer> sink) {
            for (int r = 0; r < kept.size(); r++) {
                sink.accept(r);
            }
        }

        @Override
        public List<Desc> prepare(List<Integer> chunk) {
            List<Desc> out = new ArrayList<>(chunk.size());
            for (int r : chunk) {
                out.add(new Desc(r, tokens(kept.get(r).description())));
            }
            out.sort(Comparator.comparingInt(d -> d.ids().length)); // stable: similar lengths pad little
            return out;
        }

        private long[] tokens(String text) {
            Encoding e = lm.tokenizer().encode(text);
            List<Integer> body = new ArrayList<>();
            for (int i = 0; i < e.size() && body.size() < options.maxSeqLength() - 2; i++) {
                if (!(e.special()[i] && e.starts()[i] < 0)) { // the tokenizer's own [CLS]/[SEP] are re-added below
                    body.add(e.ids()[i]);
                }
            }
            long[] ids = new long[body.size() + 2];
            ids[0] = lm.tokenizer().clsId();
            for (int i = 0; i < body.size(); i++) {
                ids[i + 1] = body.get(i);
            }
            ids[ids.length - 1] = lm.tokenizer().sepId();
            return ids;
        }

        @Override
        public int row(Desc d) {
            return d.row();
        }

        @Override
        public float[] encode(List<Desc> batch) {
            return pool(lm, batch.stream().map(Desc::ids).toList(), options.pooling());
        }
    }

    /** Pooled final states of token sequences, (N, H) flattened; no gradient. */
    static float[] pool(MaskedLm lm, List<long[]> seqs, Pooling pooling) {
        Tensors.noGrad();
        int b = seqs.size();
        int t = seqs.stream().mapToInt(s -> s.length).max().orElseThrow();
        long[][] ids = new long[b][t];
        int[][] mask = new int[b][t];
        float[] weights = new float[b * t]; // (B, 1, T): the pooling as one batched matmul
        for (int i = 0; i < b; i++) {
            long[] s = seqs.get(i);
            java.util.Arrays.fill(ids[i], lm.tokenizer().padId());
            System.arraycopy(s, 0, ids[i], 0, s.length);
            java.util.Arrays.fill(mask[i], 0, s.length, 1);
            if (pooling == Pooling.CLS) {
                weights[i * t] = 1f;
            } else {
                java.util.Arrays.fill(weights, i * t, i * t + s.length, 1f / s.length);
            }
        }
        try (NDManager m = Engines.newManager()) {
            BertInput in = BertInput.builder().setInputIds(ids).optPaddingMask(mask).build();
            NDArray w = Tensors.copyOf(m, weights, new Shape(b, 1, t));
            NDArray hidden = lm.model().forward(m, in, false).lastHidden(); // (B, T, H)
            return w.matMul(hidden).toFloatArray(); // (B, 1, H)
        }
    }
}
