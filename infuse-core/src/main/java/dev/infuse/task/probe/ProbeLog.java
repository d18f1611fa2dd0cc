package dev.infuse.task.probe;

import com.google.gson.Gson;
import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.text.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every probe's outcome as jsonl, in file order: its line, subject, answer, relation and sentence; then either
 * the answer's {@code rank} (null when a NaN made it unrankable) and the {@code top_k} candidates with their
 * probabilities (softmax over the whole vocabulary), or why it was {@code skipped}. Kept in memory and written
 * whole by {@link #write}, so a run cut short leaves no half file.
 */
public final class ProbeLog {
    private static final Gson GSON = dev.infuse.io.Jsons.compact();

    private final int k;
    private final TreeMap<Integer, String> lines = new TreeMap<>(); // by line: skipped probes arrive before their batch is scored

    public ProbeLog(int k) {
        if (k < 1) {
            throw new InfuseException("--top-k must be at least 1, found " + k);
        }
        this.k = k;
    }

    void skipped(ProbeItem item, String reason) {
        Map<String, Object> o = head(item);
        o.put("skipped", reason);
        lines.put(item.line(), GSON.toJson(o));
    }

    /** @param logits the batch's (N, V) logits, flattened; this probe's row starts at {@code from} */
    void scored(ProbeItem item, int rank, float[] logits, int from, int v, boolean[] candidate, Tokenizer tok) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            max = Math.max(max, logits[from + i]);
        }
        double sum = 0;
        for (int i = 0; i < v; i++) {
            sum += Math.exp(logits[from + i] - max);
        }
        int[] top = topCandidates(logits, from, v, candidate, k);
        List<Map<String, Object>> best = new ArrayList<>();
        for (int id : top) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("token", tok.idToToken(id));
            t.put("prob", (float) (Math.exp(logits[from + id] - max) / sum));
            best.add(t);
        }
        Map<String, Object> o = head(item);
        o.put("rank", rank == ProbeScores.UNRANKED ? null : rank);
        o.put("top_k", best);
        lines.put(item.line(), GSON.toJson(o));
    }

    /** The {@code k} candidate ids with the highest logits, best first; NaN logits never enter. */
    static int[] topCandidates(float[] logits, int from, int v, boolean[] candidate, int k) {
        int[] best = new int[k];
        int n = 0;
        for (int i = 0; i < v; i++) {
            float x = logits[from + i];
            if (!candidate[i] || Float.isNaN(x) || (n == k && x <= logits[from + best[n - 1]])) {
                continue;
            }
            int at = n < k ? n++ : k - 1;
            while (at > 0 && logits[from + best[at - 1]] < x) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        return java.util.Arrays.copyOf(best, n);
    }

    private static Map<String, Object> head(ProbeItem item) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("line", item.line());
        o.put("sub_label", item.subLabel());
        o.put("obj_label", item.objLabel());
        o.put("relation", item.relation());
        o.put("masked_sentence", item.sentence());
        return o;
    }

    public int size() {
        return lines.size();
    }

    public void write(Path file) {
        AtomicFiles.writeString(file, lines.isEmpty() ? "" : String.join("\n", lines.values()) + "\n");
    }
}
