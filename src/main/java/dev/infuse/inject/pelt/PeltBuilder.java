package dev.infuse.inject.pelt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFiles;
import dev.infuse.domain.DomainBundle;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import dev.infuse.io.Progress;
import dev.infuse.io.Provenance;
import dev.infuse.model.BertInput;
import dev.infuse.model.MaskedLm;
import dev.infuse.text.Encoding;
import dev.infuse.text.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Builds a PELT table: for every kept mention, the frozen masked LM reads the window with the mention
 * replaced by one mask, and the MLM head's transform of the mask's final state is added to the entity's sum.
 *
 * <p>The corpus streams through a producer thread that matches and tokenizes while the model runs. Work is
 * cut into fixed chunks of occurrences in corpus order, sorted by length inside so batches barely pad.
 * After a chunk the state may be checkpointed; because chunks and batches are deterministic, a resumed
 * build sums the same vectors in the same order and ends bit-identical to an uninterrupted one.
 */
public final class PeltBuilder {
    /** What a build did, for reports and tests. */
    public record Report(EntityTable table, long windows, int entitiesWithoutMentions, int chunksResumed, double seconds) {}

    private static final List<Occurrences.Window> END = List.of();

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
        String key = lm.fingerprint() + "|" + corpusHash(bundle) + "|" + options.key();
        PartialState state = PartialState.resume(output, key, rows, h, log);
        int resumed = state.chunksDone();
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(2);
        Thread producer = new Thread(() -> produce(lm.tokenizer(), occ, options, resumed, queue), "pelt-tokenize");
        producer.setDaemon(true);
        producer.start();
        long windows = 0;
        long lastSave = System.nanoTime();
        try (Progress progress = new Progress("pelt build", total, "occurrences")) {
            progress.resumeAt(Math.min(total, (long) resumed * options.chunkSize()));
            while (true) {
                Object item = take(queue);
                if (item instanceof RuntimeException e) {
                    throw e;
                }
                @SuppressWarnings("unchecked")
                List<Occurrences.Window> chunk = (List<Occurrences.Window>) item;
                if (chunk == END) {
                    break;
                }
                for (int i = 0; i < chunk.size(); i += options.batchSize()) {
                    List<Occurrences.Window> batch = chunk.subList(i, Math.min(chunk.size(), i + options.batchSize()));
                    state.add(batch, maskVectors(lm, batch, 0));
                }
                windows += chunk.size();
                state.chunkDone();
                progress.step(chunk.size());
                if ((System.nanoTime() - lastSave) / 1e9 >= options.checkpointSeconds()) {
                    state.save();
                    lastSave = System.nanoTime();
                }
                afterChunk.accept(state.chunksDone());
            }
        }
        EntityTable table = state.toTable(occ.selected(), lm.fingerprint());
        table.write(output);
        Provenance.of("pelt-table")
                .input("model", lm.source())
                .input("model_fingerprint", lm.fingerprint())
                .input("domain", bundle.dir().toString())
                .input("corpus_sha256", corpusHash(bundle))
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

    public static Path provenanceFile(Path table) {
        return table.resolveSibling(table.getFileName() + ".provenance.json");
    }

    /** Producer: tokenizes kept mentions into chunks; chunks finished by an earlier run are skipped untokenized. */
    private static void produce(Tokenizer tok, Occurrences occ, PeltOptions options, int skipChunks, BlockingQueue<Object> queue) {
        try {
            List<Occurrences.Spot> spots = new ArrayList<>();
            int[] chunkIndex = {0};
            occ.forEachKept(s -> {
                spots.add(s);
                if (spots.size() == options.chunkSize()) {
                    emit(tok, spots, chunkIndex[0]++ < skipChunks, options, queue);
                    spots.clear();
                }
            });
            if (!spots.isEmpty()) {
                emit(tok, spots, chunkIndex[0] < skipChunks, options, queue);
            }
            put(queue, END);
        } catch (RuntimeException e) {
            put(queue, e);
        }
    }

    private static void emit(Tokenizer tok, List<Occurrences.Spot> spots, boolean skip, PeltOptions options, BlockingQueue<Object> queue) {
        if (skip) {
            return;
        }
        List<Occurrences.Window> chunk = new ArrayList<>(spots.size());
        Encoding cached = null;
        Object cachedFor = null;
        for (Occurrences.Spot s : spots) {
            if (s.passage() != cachedFor) {
                cached = tok.encode(s.passage().text());
                cachedFor = s.passage();
            }
            Occurrences.Window w = Occurrences.window(tok, cached, s, options.maxSeqLength());
            if (w != null) {
                chunk.add(w);
            }
        }
        chunk.sort(Comparator.comparingInt(w -> w.ids().length)); // stable: equal lengths keep corpus order
        put(queue, chunk);
    }

    /**
     * The MLM transform at each window's mask, (N, H) flattened. {@code padTo} 0 pads to the longest window
     * of the batch; a positive value pads every window to that length (the reference recipe).
     */
    static float[] maskVectors(MaskedLm lm, List<Occurrences.Window> batch, int padTo) {
        Tensors.noGrad();
        int t = padTo > 0 ? padTo : batch.stream().mapToInt(w -> w.ids().length).max().orElseThrow();
        long[][] ids = new long[batch.size()][t];
        int[][] mask = new int[batch.size()][t];
        long[] at = new long[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            Occurrences.Window w = batch.get(b);
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

    private static Object take(BlockingQueue<Object> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InfuseException("interrupted");
        }
    }

    private static void put(BlockingQueue<Object> q, Object o) {
        try {
            q.put(o);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
