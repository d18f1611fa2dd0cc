package dev.infuse.spark;

import dev.infuse.InfuseException;
import dev.infuse.domain.Entity;
import dev.infuse.inject.zeo.KnowledgeVectors;
import dev.infuse.inject.zeo.VectorBuilder;
import dev.infuse.io.Provenance;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * {@code zeo vectors} on Spark, giving {@code infuse zeo vectors}'s table byte for byte: the entities are cut
 * into the builder's chunks, each chunk is encoded whole by one task (same order, batches and padding), and the
 * driver puts the chunks' rows in place.
 */
@Command(name = "vectors", description = {"ZEO knowledge vectors from the entities' descriptions, on Spark: the same bytes as infuse zeo vectors.",
        "--model and --domain must be readable by every executor."})
final class ZeoVectorsJob implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A Hugging Face or TF1 BERT directory.")
    String model;

    @Option(names = "--domain", required = true, paramLabel = "DIR", description = "The bundle (its entities' descriptions).")
    String domain;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The vector table to write (safetensors).")
    String output;

    @Option(names = "--pooling", defaultValue = "mean", description = "mean (over real tokens) or cls (default ${DEFAULT-VALUE}).")
    String pooling;

    @Option(names = "--max-seq-length", description = "Description tokens at most, specials included (default: 128, or the model's positions if fewer).")
    Integer maxSeqLength;

    @Option(names = "--batch-size", defaultValue = "32", description = "Descriptions per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    /** The build's settings as plain values. */
    record Spec(String model, String domain, String precision, String pooling, int maxSeqLength, int batchSize, int chunkSize) implements Serializable {
        VectorBuilder.Options options() {
            return new VectorBuilder.Options(VectorBuilder.Pooling.parse(pooling), maxSeqLength, batchSize, chunkSize, 0);
        }
    }

    @Override
    public Integer call() {
        if (batchSize < 1 || (maxSeqLength != null && maxSeqLength < 3)) {
            throw new InfuseException("--batch-size must be at least 1 and --max-seq-length at least 3");
        }
        VectorBuilder.Pooling.parse(pooling); // one line for an unknown pooling, before Spark starts
        try (JavaSparkContext sc = cluster.start("zeo vectors")) {
            var hadoop = sc.hadoopConfiguration();
            SharedFiles.requireNewOutput("--output", output, cluster.overwrite, hadoop);
            SharedFiles.requireReadable("--model", model, hadoop);
            SharedFiles.requireReadable("--domain", domain, hadoop);
            List<Entity> all = ExecutorState.entitiesOf(domain);
            List<Entity> kept = VectorBuilder.encoded(all);
            if (kept.isEmpty()) {
                throw new InfuseException("none of the " + all.size() + " entities of " + domain + " has a description; knowledge vectors are encoded from descriptions");
            }
            if (kept.size() < all.size()) {
                System.err.println("infuse: skipped " + (all.size() - kept.size()) + " of " + all.size() + " entities without a description");
            }
            String precision = cluster.resolvedPrecision();
            Jobs.progress(sc, "zeo vectors");
            ModelFacts facts = ModelFacts.ask(sc, model, precision, maxSeqLength == null ? 0 : maxSeqLength);
            int length = maxSeqLength != null ? maxSeqLength : Math.min(128, facts.positions());
            int chunkSize = Math.max(batchSize, VectorBuilder.Options.defaults().chunkSize()); // as infuse zeo vectors cuts its chunks
            Spec spec = new Spec(model, domain, precision, pooling, length, batchSize, chunkSize);
            int chunks = (kept.size() + chunkSize - 1) / chunkSize;
            int n = kept.size();
            List<Tuple2<Integer, float[]>> done = sc.parallelize(IntStream.range(0, chunks).boxed().toList(), chunks)
                    .map(c -> new Tuple2<>(c, encode(spec, c, n)))
                    .collect();
            int h = facts.hidden();
            float[] vectors = new float[n * h];
            for (Tuple2<Integer, float[]> c : done) {
                System.arraycopy(c._2(), 0, vectors, c._1() * chunkSize * h, c._2().length);
            }
            KnowledgeVectors table = VectorBuilder.table(kept, vectors, h, facts.fingerprint());
            SharedFiles.publishWithProvenance(output, VectorBuilder.PROVENANCE_SUFFIX, table::write, file -> Provenance.of("zeo-vectors")
                    .input("model", model)
                    .input("model_fingerprint", facts.fingerprint())
                    .input("domain", domain)
                    .setting("pooling", pooling.toLowerCase(Locale.ROOT))
                    .setting("max_seq_length", length)
                    .setting("rows", table.size())
                    .setting("skipped_without_description", all.size() - kept.size())
                    .setting("runner", "spark " + sc.version() + ", master " + sc.master() + ", " + chunks + " chunks")
                    .write(file), hadoop);
            System.err.printf("wrote %s: %d knowledge vectors%n", output, table.size());
        } catch (Exception e) {
            throw Jobs.failure(e); // Spark's failures are checked exceptions the Java API does not declare
        }
        return 0;
    }

    static float[] encode(Spec spec, int chunk, int entities) {
        Jobs.faultPoint("zeo", chunk);
        List<Entity> kept = VectorBuilder.encoded(ExecutorState.entities(spec.domain()));
        if (kept.size() != entities) {
            throw new InfuseException("executor read " + kept.size() + " entities with descriptions from " + spec.domain() + ", the driver " + entities
                    + "; the bundle changed during the job");
        }
        int from = chunk * spec.chunkSize();
        return VectorBuilder.chunk(ExecutorState.maskedLm(spec.model(), spec.precision()), kept, from, Math.min(kept.size(), from + spec.chunkSize()),
                spec.options());
    }
}
