package dev.infuse.inject.zeo;

import com.google.gson.Gson;
import dev.infuse.io.AtomicFiles;
import dev.infuse.text.Tokenizer;
import dev.infuse.train.Batcher;
import dev.infuse.train.data.Instance;
import dev.infuse.train.data.InstanceStream;
import dev.infuse.train.data.PassageSource;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes ZEO training instances as jsonl for inspection: one line per window of the first epoch, with its
 * tokens and up to {@link ZeoObjective#MAX_MENTIONS} linked mentions, each with its token span, entity,
 * type and the negatives training would draw for it (same seeds as the trainer's batches).
 */
public final class InstanceDump {
    private static final Gson GSON = new Gson();

    /** What the dump wrote. */
    public record Report(long windows, long mentions) {}

    private InstanceDump() {}

    /**
     * @param vectors decides which mentions are linked (entities with a vector) and their negatives
     * @param negatives per mention; 0 writes none
     */
    public static Report write(PassageSource corpus, Tokenizer tok, KnowledgeVectors vectors, int negatives, int maxSeqLength,
            long seed, long limit, Path out) {
        NegativeSampler sampler = negatives > 0 ? new NegativeSampler(vectors, "the knowledge vectors") : null;
        long[] counts = new long[2];
        AtomicFiles.write(out, os -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(os, StandardCharsets.UTF_8));
            try (InstanceStream stream = new InstanceStream(corpus, tok, maxSeqLength, InstanceStream.Packing.PACKED)) {
                while (counts[0] < limit) {
                    Instance in = stream.next();
                    if (in.epoch() > 0) {
                        break;
                    }
                    w.write(GSON.toJson(line(in, tok, vectors, sampler, negatives, seed, counts)));
                    w.write('\n');
                    counts[0]++;
                }
            }
            w.flush();
        });
        return new Report(counts[0], counts[1]);
    }

    private static Map<String, Object> line(Instance in, Tokenizer tok, KnowledgeVectors vectors, NegativeSampler sampler, int negatives,
            long seed, long[] counts) {
        List<String> tokens = new ArrayList<>();
        for (int id : in.tokens().ids()) {
            tokens.add(tok.idToToken(id));
        }
        List<Map<String, Object>> mentions = new ArrayList<>();
        for (int k = 0; k < in.entities().size() && mentions.size() < ZeoObjective.MAX_MENTIONS; k++) {
            int row = vectors.rowOf(in.entities().get(k));
            if (row < 0) {
                continue; // the trainer skips these too: no knowledge vector to pull toward
            }
            int[] span = in.tokens().entitySpans().get(k);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start", span[0]);
            m.put("end", span[1]);
            m.put("entity", in.entities().get(k));
            m.put("type", vectors.rows().get(row).type());
            if (sampler != null) {
                List<String> neg = new ArrayList<>();
                // The same draw as ZeoObjective.triplet: a Random from the link's seed.
                for (int r : sampler.sample(row, negatives, new Random(Batcher.linkSeed(seed, in.epoch(), in.index(), k)))) {
                    neg.add(vectors.rows().get(r).id());
                }
                m.put("negatives", neg);
            }
            mentions.add(m);
        }
        counts[1] += mentions.size();
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("index", in.index());
        o.put("tokens", tokens);
        o.put("mentions", mentions);
        return o;
    }
}
