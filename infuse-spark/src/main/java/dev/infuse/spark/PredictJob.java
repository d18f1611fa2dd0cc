package dev.infuse.spark;

import dev.infuse.InfuseException;
import dev.infuse.task.PlainText;
import dev.infuse.task.PredictionWriter;
import dev.infuse.task.Predictor;
import dev.infuse.task.TaskModel;
import dev.infuse.task.TaskSet;
import dev.infuse.task.Tasks;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import scala.Tuple2;

/**
 * {@code predict} on Spark, writing what {@code infuse predict} writes, in input order.
 *
 * <p>The single process sorts all examples by encoded length and cuts the sorted list into batches; a batch's
 * padding changes the last bits of its logits. So the job rebuilds exactly those batches: it measures every
 * example's length, sorts (length, input position) across the cluster, and runs each batch as one forward pass.
 * The logits then go back to input order and each partition writes its lines as {@code infuse predict} would.
 */
@Command(name = "predict", description = {"Label a file with a fine-tuned model on Spark; the output equals infuse predict's, line for line.",
        "The input holds one example a line: plain text (ner and classify) or a jsonl task file (typing, relation, classify)."})
final class PredictJob implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A directory written by infuse finetune, readable by every executor.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "One example a line.")
    String input;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "auto|task|text",
            description = "What --input holds; auto: plain text when the name ends in .txt or .txt.gz (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the predictions.")
    String output;

    @Option(names = "--jsonl", description = "NER as jsonl, a sentence a line, instead of CoNLL.")
    boolean jsonl;

    @Option(names = "--logits", description = "Add each prediction's raw logits to the jsonl.")
    boolean logits;

    @Option(names = "--batch-size", defaultValue = "32", description = "Examples per forward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    /** Everything an executor needs, as plain values. */
    record Spec(String model, String precision, String task, boolean text, boolean jsonl, boolean logits, int batchSize) implements Serializable {
        TaskModel load() {
            return ExecutorState.taskModel(model, precision);
        }

        /** Reads lines as {@code infuse predict} reads its input file. */
        TaskSet read(List<String> lines) {
            Path f = null;
            try {
                f = Files.createTempFile("infuse-spark-", text ? ".txt" : ".jsonl");
                Files.write(f, lines, StandardCharsets.UTF_8);
                return text ? PlainText.read(task, f) : Tasks.read(task, f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (f != null) {
                    f.toFile().delete();
                }
            }
        }
    }

    /** An example on its way through the batches. */
    record Item(long rank, long index, String line) implements Serializable {}

    @Override
    public Integer call() {
        if (batchSize < 1) {
            throw new InfuseException("--batch-size must be at least 1, got " + batchSize);
        }
        boolean text = switch (format.toLowerCase(Locale.ROOT)) {
            case "auto" -> input.matches(".*\\.txt(\\.gz)?");
            case "text" -> true;
            case "task" -> false;
            default -> throw new InfuseException("unknown --format \"" + format + "\": expected auto, task or text");
        };
        try (JavaSparkContext sc = cluster.start("predict")) {
            Configuration hadoop = sc.hadoopConfiguration();
            SharedFiles.requireNewOutput("--output", output, cluster.overwrite, hadoop);
            SharedFiles.requireReadable("--model", model, hadoop);
            SharedFiles.requireReadable("--input", input, hadoop);
            String task = TaskModel.taskOf(SharedFiles.local(model));
            if (!text && task.equals("ner")) {
                throw new InfuseException("--input " + input + ": an NER task file is CoNLL, a sentence over several lines; give the"
                        + " sentences as plain text, one a line (--format text)");
            }
            if (logits && task.equals("ner") && !jsonl) {
                throw new InfuseException("--logits with an NER model needs --jsonl: CoNLL has no column for logits");
            }
            Spec spec = new Spec(model, cluster.resolvedPrecision(), task, text, jsonl, logits, batchSize);
            Jobs.progress(sc, "predict");
            int partitions = cluster.partitions(sc);
            JavaPairRDD<Long, String> lines = sc.textFile(input, partitions).filter(l -> !l.isBlank()).zipWithIndex()
                    .mapToPair(t -> new Tuple2<>(t._2(), t._1()));
            if (lines.isEmpty()) {
                throw new InfuseException("--input " + input + " holds no examples");
            }
            // Each example's place in the single process's length order, then its batch.
            JavaPairRDD<Long, Long> rankOf = lines.mapPartitions(it -> sortKeys(spec, it)).sortBy(k -> k, true, partitions).zipWithIndex()
                    .mapToPair(t -> new Tuple2<>(t._1() & INDEX_MASK, t._2()));
            JavaPairRDD<Long, float[][]> logitsOf = rankOf.join(lines)
                    .mapToPair(t -> new Tuple2<>(t._2()._1() / spec.batchSize(), new Item(t._2()._1(), t._1(), t._2()._2())))
                    .groupByKey(partitions)
                    .flatMapToPair(b -> batch(spec, b._2()));
            String parts = output + ".infuse-parts";
            deleteQuietly(parts, hadoop);
            try {
                lines.join(logitsOf).sortByKey(true, partitions).mapPartitions(it -> write(spec, it)).saveAsTextFile(parts);
                concatenate(parts, output, hadoop);
            } finally {
                deleteQuietly(parts, hadoop); // the parts are only a step on the way to --output
            }
            System.err.println("infuse: wrote " + lines.count() + " predictions to " + output);
        } catch (Exception e) {
            throw Jobs.failure(e); // Spark's failures are checked exceptions the Java API does not declare
        }
        return 0;
    }

    static final long INDEX_MASK = (1L << 40) - 1;

    /** (length, input position) in one long that sorts as the single process orders its examples. */
    static Iterator<Long> sortKeys(Spec spec, Iterator<Tuple2<Long, String>> it) {
        List<Long> index = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        it.forEachRemaining(t -> {
            index.add(t._1());
            lines.add(t._2());
        });
        if (lines.isEmpty()) {
            return List.<Long>of().iterator();
        }
        int[] lengths = Predictor.lengths(spec.load(), spec.read(lines));
        List<Long> keys = new ArrayList<>(lengths.length);
        for (int i = 0; i < lengths.length; i++) {
            keys.add(((long) lengths[i] << 40) | index.get(i));
        }
        return keys.iterator();
    }

    static Iterator<Tuple2<Long, float[][]>> batch(Spec spec, Iterable<Item> items) {
        List<Item> sorted = new ArrayList<>();
        items.forEach(sorted::add);
        sorted.sort((a, b) -> Long.compare(a.rank(), b.rank()));
        TaskModel model = spec.load();
        TaskSet set = spec.read(sorted.stream().map(Item::line).toList());
        Predictor.Predictions p;
        if (model.knowledge().isEmpty()) {
            p = Predictor.runAsOneBatch(model, set); // the tasks of an executor share the weights, read only
        } else {
            // A plug-in may hold state for the forward pass it is in (ERNIE's fusion keeps the batch's entities),
            // so the tasks of one executor take turns with a model that has plug-ins.
            synchronized (model) {
                p = Predictor.runAsOneBatch(model, set);
            }
        }
        List<Tuple2<Long, float[][]>> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            out.add(new Tuple2<>(sorted.get(i).index(), p.logits().get(i)));
        }
        return out.iterator();
    }

    /** One partition's predictions, in input order, as one text without its last newline (saveAsTextFile adds it). */
    static Iterator<String> write(Spec spec, Iterator<Tuple2<Long, Tuple2<String, float[][]>>> it) {
        List<String> lines = new ArrayList<>();
        List<float[][]> logits = new ArrayList<>();
        it.forEachRemaining(t -> {
            lines.add(t._2()._1());
            logits.add(t._2()._2());
        });
        if (lines.isEmpty()) {
            return List.<String>of().iterator();
        }
        TaskModel m = spec.load();
        TaskSet set = spec.read(lines);
        StringWriter out = new StringWriter();
        PredictionWriter.write(set, new Predictor.Predictions(logits), m.labels(), new PredictionWriter.Options(!spec.text(), spec.jsonl(),
                spec.logits()), out);
        String s = out.toString();
        return List.of(s.endsWith("\n") ? s.substring(0, s.length() - 1) : s).iterator();
    }

    /** The part files in order, into one file beside the output, then renamed into place. */
    static void concatenate(String parts, String output, Configuration conf) {
        try {
            org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(parts);
            FileSystem fs = dir.getFileSystem(conf);
            FileStatus[] files = fs.listStatus(dir, p -> p.getName().startsWith("part-"));
            Arrays.sort(files, (a, b) -> a.getPath().getName().compareTo(b.getPath().getName()));
            Path scratch = SharedFiles.scratch(output, ".out");
            try {
                try (OutputStream out = Files.newOutputStream(scratch)) {
                    for (FileStatus f : files) {
                        try (InputStream in = fs.open(f.getPath())) {
                            in.transferTo(out);
                        }
                    }
                }
                SharedFiles.publish(scratch, output, conf);
            } finally {
                SharedFiles.deleteQuietly(scratch);
            }
        } catch (IOException e) {
            throw new InfuseException("cannot write " + output + ": " + e.getMessage());
        }
    }

    static void deleteQuietly(String uri, Configuration conf) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(uri);
            p.getFileSystem(conf).delete(p, true);
        } catch (IOException e) {
            // saveAsTextFile will say what is wrong with the path
        }
    }
}
