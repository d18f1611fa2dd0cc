package dev.infuse.spark;

import dev.infuse.domain.BundleFiles;
import dev.infuse.domain.BundleFormat;
import dev.infuse.domain.BundleStats;
import dev.infuse.domain.Mention;
import dev.infuse.domain.Passage;
import dev.infuse.domain.Triple;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code domain stats} on Spark: the corpus and the triples counted in partitions, printed as {@code infuse domain stats} prints them. */
@Command(name = "stats", description = "Print a bundle's counts (entities, types, aliases, passages, mentions, triples), counting its corpus on Spark.")
final class DomainStatsJob implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Parameters(paramLabel = "DIR", description = "Bundle directory (a path every executor can read).")
    String dir;

    /** One partition's counts. */
    record Counts(long passages, long mentions, Map<String, Integer> perKey) implements Serializable {
        Counts plus(Counts o) {
            Map<String, Integer> m = new HashMap<>(perKey);
            o.perKey.forEach((k, v) -> m.merge(k, v, Integer::sum));
            return new Counts(passages + o.passages, mentions + o.mentions, m);
        }
    }

    @Override
    public Integer call() {
        try (JavaSparkContext sc = cluster.start("domain stats")) {
            var hadoop = sc.hadoopConfiguration();
            SharedFiles.requireReadable("DIR", dir, hadoop);
            var entities = ExecutorState.entitiesOf(dir);
            int partitions = cluster.partitions(sc);
            String corpus = SharedFiles.corpus("DIR", dir, hadoop);
            boolean jsonl = corpus.contains(".jsonl");
            Counts text = sc.textFile(corpus, partitions).mapPartitionsWithIndex((p, it) -> List.of(corpusCounts(corpus, p, it, jsonl)).iterator(), true)
                    .reduce(Counts::plus);
            Counts triples = new Counts(0, 0, Map.of());
            String triplesFile = SharedFiles.find(dir, BundleFiles.TRIPLES, hadoop);
            if (triplesFile != null) {
                triples = sc.textFile(triplesFile, partitions).mapPartitionsWithIndex((p, it) -> List.of(tripleCounts(triplesFile, p, it)).iterator(), true).reduce(Counts::plus);
            }
            System.out.print(BundleStats.of(entities, text.passages(), text.mentions(), text.perKey(), triples.perKey()).format());
            System.out.flush();
        } catch (Exception e) {
            throw Jobs.failure(e); // Spark's failures are checked exceptions the Java API does not declare
        }
        return 0;
    }

    static Counts corpusCounts(String file, int split, Iterator<String> lines, boolean jsonl) {
        long passages = 0;
        long mentions = 0;
        Map<String, Integer> per = new HashMap<>();
        for (long number = 1; lines.hasNext(); number++) {
            String line = lines.next();
            if (line.isBlank()) {
                continue;
            }
            passages++;
            if (jsonl) {
                Passage p = Jobs.parse(file, split, number, line, BundleFormat::parsePassage);
                mentions += p.mentions().size();
                for (Mention m : p.mentions()) {
                    per.merge(m.entity(), 1, Integer::sum);
                }
            }
        }
        return new Counts(passages, mentions, per);
    }

    static Counts tripleCounts(String file, int split, Iterator<String> lines) {
        Map<String, Integer> per = new HashMap<>();
        for (long number = 1; lines.hasNext(); number++) {
            String line = lines.next();
            if (!line.isBlank()) {
                Triple t = Jobs.parse(file, split, number, line, BundleFormat::parseTriple);
                per.merge(t.relation(), 1, Integer::sum);
            }
        }
        return new Counts(0, 0, per);
    }
}
