package dev.infuse.spark;

import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFormat;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Passage;
import dev.infuse.inject.pelt.EntityTable;
import dev.infuse.inject.pelt.MaskWindow;
import dev.infuse.inject.pelt.PeltBuilder;
import dev.infuse.inject.pelt.PeltOptions;
import dev.infuse.inject.pelt.PeltParts;
import dev.infuse.io.Provenance;
import dev.infuse.model.MaskedLm;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.HashPartitioner;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * {@code pelt build} on Spark, giving {@code infuse pelt build}'s table byte for byte.
 *
 * <p>The single-machine build adds each kept mention's vector to its entity's sum in a fixed order: chunks of
 * kept mentions in corpus order, and inside a chunk the batch order (by window length). Float sums depend on
 * that order, so the job reproduces it instead of summing partial sums:
 * <ol>
 *   <li>Counting: each corpus partition counts its mentions per entity; the driver draws the same sample of the
 *       over-mentioned entities and works out where each partition's kept mentions start in the global order.</li>
 *   <li>Windows: each partition numbers its kept mentions globally, so every window knows its chunk and its place
 *       in it, and the windows are grouped by chunk.</li>
 *   <li>Vectors: a task takes whole chunks, orders and batches them as the builder does, and keys each vector by
 *       (entity, chunk, place in the batch order).</li>
 *   <li>Sums: the vectors are partitioned by entity and sorted by that key, so each entity's sum is added in the
 *       builder's order; the driver only collects the finished rows.</li>
 * </ol>
 */
@Command(name = "build", description = {"Build a PELT table on Spark: the same bytes as infuse pelt build on the same inputs.",
        "--model and --domain must be readable by every executor (a shared path, hdfs: or s3a:)."})
final class PeltBuildJob implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A Hugging Face or TF1 BERT directory.")
    String model;

    @Option(names = "--domain", required = true, paramLabel = "DIR", description = "The bundle (entities and corpus).")
    String domain;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The table to write (safetensors).")
    String output;

    @Option(names = "--max-occurrences", defaultValue = "256", description = "Mentions per entity at most (default ${DEFAULT-VALUE}).")
    int maxOccurrences;

    @Option(names = "--max-seq-length", defaultValue = "64", description = "Window length with [CLS] and [SEP] (default ${DEFAULT-VALUE}).")
    int maxSeqLength;

    @Option(names = "--entities", split = ",", paramLabel = "ID|TYPE", description = "Build rows only for these entity ids or types.")
    String[] entities;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample of over-mentioned entities (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "64", description = "Windows per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    /** The build's settings, as plain values an executor can rebuild {@link PeltOptions} from. */
    record Spec(int maxOccurrences, int maxSeqLength, List<String> entities, long seed, int batchSize, int chunkSize,
            String model, String domain, String precision) implements Serializable {
        PeltOptions options() {
            return new PeltOptions(maxOccurrences, maxSeqLength, new HashSet<>(entities), seed, batchSize, chunkSize, 0);
        }

        PeltParts parts() {
            return ExecutorState.peltParts(domain, options());
        }

        MaskedLm lm() {
            return ExecutorState.maskedLm(model, precision);
        }
    }

    /** One partition's mention counts, sparse. */
    record Counts(int partition, int[] rows, int[] counts) implements Serializable {}

    /** Where a partition's kept mentions start: their first global number, and each sampled entity's mentions before it. */
    record Starts(long[] keptBefore, List<Map<Integer, Integer>> sampledBefore, Map<Integer, BitSet> sampled) implements Serializable {}

    /** A window and its place among its chunk's kept mentions. */
    record Placed(int place, MaskWindow window) implements Serializable {}

    /** A finished row. */
    record RowSum(int row, float[] sum, int count) implements Serializable {}

    static final int MAX_ROWS = 1 << 23;
    static final int MAX_CHUNKS = 1 << 24;
    static final int MAX_CHUNK = 1 << 16;

    @Override
    public Integer call() {
        if (maxOccurrences < 1 || maxSeqLength < 3 || batchSize < 1) {
            throw new InfuseException("--max-occurrences and --batch-size must be at least 1 and --max-seq-length at least 3");
        }
        PeltOptions defaults = PeltOptions.defaults();
        int chunkSize = Math.max(batchSize, defaults.chunkSize()); // as infuse pelt build cuts its chunks
        if (chunkSize > MAX_CHUNK) {
            throw new InfuseException("--batch-size " + batchSize + " is above " + MAX_CHUNK + ", the largest chunk this job numbers");
        }
        List<String> selection = entities == null ? List.of() : List.of(entities);
        try (JavaSparkContext sc = cluster.start("pelt build")) {
            var hadoop = sc.hadoopConfiguration();
            SharedFiles.requireNewOutput("--output", output, cluster.overwrite, hadoop);
            SharedFiles.requireReadable("--model", model, hadoop);
            SharedFiles.requireReadable("--domain", domain, hadoop);
            String corpus = SharedFiles.corpus("--domain", domain, hadoop);
            Spec spec = new Spec(maxOccurrences, maxSeqLength, selection, seed, batchSize, chunkSize, model, domain, cluster.resolvedPrecision());
            List<Entity> all = ExecutorState.entitiesOf(domain);
            PeltParts parts = new PeltParts(all, spec.options());
            if (parts.selected().size() >= MAX_ROWS) {
                throw new InfuseException(parts.selected().size() + " entities selected; this job numbers at most " + MAX_ROWS);
            }
            Jobs.progress(sc, "pelt build");
            ModelFacts facts = ModelFacts.ask(sc, spec.model(), spec.precision(), maxSeqLength);
            int partitions = cluster.partitions(sc);
            JavaRDD<String> lines = sc.textFile(corpus, partitions);

            // 1. counts per partition, and where each partition's kept mentions start
            List<Counts> counted = lines.mapPartitionsWithIndex((p, it) -> List.of(count(spec, corpus, p, it)).iterator(), true).collect();
            int[] total = new int[parts.selected().size()];
            for (Counts c : counted) {
                for (int i = 0; i < c.rows().length; i++) {
                    total[c.rows()[i]] += c.counts()[i];
                }
            }
            Starts starts = starts(counted, parts.sample(total), counted.size());
            long kept = starts.keptBefore()[starts.keptBefore().length - 1];
            if (kept == 0) {
                throw new InfuseException("none of the " + total.length + " selected entities is mentioned in the corpus; refusing to write an empty table");
            }
            long chunks = (kept + chunkSize - 1) / chunkSize;
            if (chunks >= MAX_CHUNKS) {
                throw new InfuseException(chunks + " chunks of " + chunkSize + " mentions; this job numbers at most " + MAX_CHUNKS);
            }
            int absent = (int) Arrays.stream(total).filter(c -> c == 0).count();
            if (absent > 0) {
                System.err.println("infuse: warning: " + absent + " of " + total.length + " selected entities are never mentioned in the corpus; they get no row");
            }
            System.err.printf("infuse: pelt build (spark): %d kept mentions in %d chunks of %d, over %d corpus partitions%n", kept, chunks,
                    chunkSize, counted.size());
            Broadcast<Starts> shared = sc.broadcast(starts);

            // 2. windows, grouped by chunk
            JavaPairRDD<Integer, Iterable<Placed>> byChunk = lines
                    .mapPartitionsWithIndex((p, it) -> windows(spec, corpus, shared.value(), p, it), true)
                    .mapToPair(t -> t)
                    .groupByKey(new HashPartitioner((int) chunks)); // a task a chunk: free slots take the next chunk

            // 3. vectors keyed by (row, chunk, place in the batch order); 4. sums per row in that order
            JavaPairRDD<Long, float[]> vectors = byChunk.flatMapToPair(c -> vectors(spec, c._1(), c._2()));
            List<RowSum> rows = vectors.repartitionAndSortWithinPartitions(new RowPartitioner(partitions))
                    .mapPartitions(PeltBuildJob::sums)
                    .collect();
            shared.destroy();

            int hidden = facts.hidden();
            float[] sums = new float[total.length * hidden];
            float[] counts = new float[total.length];
            for (RowSum r : rows) {
                System.arraycopy(r.sum(), 0, sums, r.row() * hidden, hidden);
                counts[r.row()] = r.count();
            }
            EntityTable table = parts.table(sums, counts, hidden, facts.fingerprint());
            long windows = rows.stream().mapToLong(RowSum::count).sum();
            SharedFiles.publishWithProvenance(output, PeltBuilder.PROVENANCE_SUFFIX, table::write, file -> Provenance.of("pelt-table")
                    .input("model", model)
                    .input("model_fingerprint", facts.fingerprint())
                    .input("domain", domain)
                    .setting("max_occurrences", maxOccurrences)
                    .setting("max_seq_length", maxSeqLength)
                    .setting("entities", new java.util.TreeSet<>(selection))
                    .setting("seed", seed)
                    .setting("rows", table.size())
                    .setting("windows", windows)
                    .setting("runner", "spark " + sc.version() + ", master " + sc.master() + ", " + counted.size() + " corpus partitions")
                    .write(file), hadoop);
            System.err.printf("wrote %s: %d entities from %d windows%n", output, table.size(), windows);
        } catch (Exception e) {
            throw Jobs.failure(e); // Spark's failures are checked exceptions the Java API does not declare
        }
        return 0;
    }

    /** A corpus line as the bundle reader reads it: a jsonl passage, or a plain-text one (whose id PELT never reads). */
    static Passage passage(String corpus, int split, long number, String line) {
        return corpus.contains(".jsonl") ? Jobs.parse(corpus, split, number, line, BundleFormat::parsePassage) : new Passage("line", line, List.of());
    }

    static Counts count(Spec spec, String corpus, int partition, Iterator<String> lines) {
        PeltParts parts = spec.parts();
        Map<Integer, int[]> counts = new HashMap<>();
        for (long number = 1; lines.hasNext(); number++) {
            String line = lines.next();
            if (!line.isBlank()) {
                parts.rows(passage(corpus, partition, number, line), r -> counts.computeIfAbsent(r, k -> new int[1])[0]++);
            }
        }
        int[] rows = counts.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] n = Arrays.stream(rows).map(r -> counts.get(r)[0]).toArray();
        return new Counts(partition, rows, n);
    }

    /** For each partition in order: the kept mentions before it, and the mentions of each sampled entity before it. */
    static Starts starts(List<Counts> counted, Map<Integer, BitSet> sampled, int partitions) {
        Counts[] byPartition = new Counts[partitions];
        counted.forEach(c -> byPartition[c.partition()] = c);
        long[] keptBefore = new long[partitions + 1];
        List<Map<Integer, Integer>> sampledBefore = new ArrayList<>();
        Map<Integer, Integer> seen = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            Map<Integer, Integer> before = new HashMap<>();
            long kept = 0;
            Counts c = byPartition[p];
            for (int i = 0; i < c.rows().length; i++) {
                int row = c.rows()[i];
                int n = c.counts()[i];
                BitSet keep = sampled.get(row);
                if (keep == null) {
                    kept += n;
                } else {
                    int from = seen.getOrDefault(row, 0);
                    before.put(row, from);
                    kept += keep.get(from, from + n).cardinality();
                    seen.put(row, from + n);
                }
            }
            sampledBefore.add(before);
            keptBefore[p + 1] = keptBefore[p] + kept;
        }
        return new Starts(keptBefore, sampledBefore, sampled);
    }

    static Iterator<Tuple2<Integer, Placed>> windows(Spec spec, String corpus, Starts starts, int partition, Iterator<String> lines) {
        PeltParts parts = spec.parts();
        MaskedLm lm = spec.lm();
        Map<Integer, Integer> before = starts.sampledBefore().get(partition);
        Map<Integer, Integer> seen = new HashMap<>();
        long[] next = {starts.keptBefore()[partition]};
        int chunkSize = spec.chunkSize();
        List<Tuple2<Integer, Placed>> out = new ArrayList<>();
        for (long number = 1; lines.hasNext(); number++) {
            String line = lines.next();
            if (line.isBlank()) {
                continue;
            }
            List<MaskWindow> ws = parts.windows(passage(corpus, partition, number, line), lm.tokenizer(), row -> {
                BitSet keep = starts.sampled().get(row);
                if (keep == null) {
                    return true;
                }
                int k = before.getOrDefault(row, 0) + seen.merge(row, 1, Integer::sum) - 1;
                return keep.get(k);
            });
            for (MaskWindow w : ws) {
                long j = next[0]++;
                if (w != null) {
                    out.add(new Tuple2<>((int) (j / chunkSize), new Placed((int) (j % chunkSize), w)));
                }
            }
        }
        return out.iterator();
    }

    static Iterator<Tuple2<Long, float[]>> vectors(Spec spec, int chunk, Iterable<Placed> placed) {
        Jobs.faultPoint("vectors", chunk);
        List<Placed> items = new ArrayList<>();
        placed.forEach(items::add);
        items.sort(java.util.Comparator.comparingInt(Placed::place));
        List<MaskWindow> windows = new ArrayList<>(items.size());
        items.forEach(p -> windows.add(p.window()));
        PeltParts.batchOrder(windows);
        MaskedLm lm = spec.lm();
        int h = lm.model().config().hiddenSize();
        List<Tuple2<Long, float[]>> out = new ArrayList<>(windows.size());
        for (int i = 0; i < windows.size(); i += spec.batchSize()) {
            List<MaskWindow> batch = windows.subList(i, Math.min(windows.size(), i + spec.batchSize()));
            float[] v = PeltParts.maskVectors(lm, batch);
            for (int b = 0; b < batch.size(); b++) {
                out.add(new Tuple2<>(key(batch.get(b).row(), chunk, i + b), Arrays.copyOfRange(v, b * h, (b + 1) * h)));
            }
        }
        return out.iterator();
    }

    /** (row, chunk, place) in one long that sorts as the builder adds: by row, then chunk, then place in the batch order. */
    static long key(int row, int chunk, int place) {
        return ((long) row << 40) | ((long) chunk << 16) | place;
    }

    static int rowOf(long key) {
        return (int) (key >>> 40);
    }

    static Iterator<RowSum> sums(Iterator<Tuple2<Long, float[]>> sorted) {
        List<RowSum> out = new ArrayList<>();
        int row = -1;
        float[] sum = null;
        int count = 0;
        while (sorted.hasNext()) {
            Tuple2<Long, float[]> t = sorted.next();
            int r = rowOf(t._1());
            if (r != row) {
                if (sum != null) {
                    out.add(new RowSum(row, sum, count));
                }
                row = r;
                sum = new float[t._2().length];
                count = 0;
            }
            float[] v = t._2();
            for (int d = 0; d < v.length; d++) {
                sum[d] += v[d];
            }
            count++;
        }
        if (sum != null) {
            out.add(new RowSum(row, sum, count));
        }
        return out.iterator();
    }

    /** Sends all of an entity's vectors to one partition. */
    static final class RowPartitioner extends Partitioner {
        private final int n;

        RowPartitioner(int n) {
            this.n = n;
        }

        @Override
        public int numPartitions() {
            return n;
        }

        @Override
        public int getPartition(Object key) {
            return rowOf((Long) key) % n;
        }
    }
}
