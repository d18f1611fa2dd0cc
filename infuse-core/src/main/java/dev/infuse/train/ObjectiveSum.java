package dev.infuse.train;

import ai.djl.ndarray.NDArray;
import dev.infuse.InfuseException;
import dev.infuse.engine.Tensors;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.io.HostTensor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several objectives trained as one, {@code --method mlm+sensebert:0.5}: the loss is the weighted sum of the parts'
 * losses, all read from one forward pass ({@link MlmForward}). Each part keeps its own head and state; their
 * parameter names must differ, which the trainer checks as it does for every module. A part that scores nothing
 * in a micro-batch adds nothing; when no part scores, the micro-batch is skipped.
 */
public final class ObjectiveSum implements Objective {
    /** One summand: its name (for messages), its weight, and the objective. */
    public record Part(String name, float weight, Objective objective) {}

    private final List<Part> parts;

    public ObjectiveSum(List<Part> parts) {
        this.parts = List.copyOf(parts);
        for (Part p : parts) {
            if (p.objective().masks() != parts.get(0).objective().masks()) {
                Part masked = parts.stream().filter(x -> x.objective().masks()).findFirst().orElseThrow();
                Part plain = parts.stream().filter(x -> !x.objective().masks()).findFirst().orElseThrow();
                throw new InfuseException("objectives " + masked.name() + " and " + plain.name() + " cannot share a batch: "
                        + masked.name() + " reads masked text, " + plain.name() + " the text unchanged");
            }
        }
    }

    @Override
    public NDArray loss(MlmForward f) {
        NDArray total = null;
        for (Part p : parts) {
            NDArray l = p.objective().loss(f); // ()
            if (l == null) {
                continue;
            }
            NDArray w = p.weight() == 1f ? l : Tensors.scale(l, p.weight());
            total = total == null ? w : total.add(w);
        }
        return total;
    }

    /** Each part's rewrite in turn; only one part in practice rewrites (WKLM). */
    @Override
    public dev.infuse.train.data.Instance rewrite(dev.infuse.train.data.Instance in, long seed) {
        dev.infuse.train.data.Instance out = in;
        for (Part p : parts) {
            out = p.objective().rewrite(out, seed);
        }
        return out;
    }

    @Override
    public boolean masks() {
        return parts.get(0).objective().masks();
    }

    /** Each part's input in turn, so every part's modules find what they read beside the tokens. */
    @Override
    public dev.infuse.model.BertInput input(MlmBatch batch) {
        MlmBatch b = batch;
        for (Part p : parts) {
            b = b.withInput(p.objective().input(b));
        }
        return b.input();
    }

    @Override
    public int linksPerInstance() {
        return parts.stream().mapToInt(p -> p.objective().linksPerInstance()).max().orElse(0);
    }

    @Override
    public boolean links(String entity) {
        return parts.stream().anyMatch(p -> p.objective().links(entity));
    }

    @Override
    public Map<String, ai.djl.ndarray.NDArray> parameters() {
        Map<String, NDArray> all = new LinkedHashMap<>();
        for (Part p : parts) {
            p.objective().parameters().forEach((k, v) -> {
                if (all.put(k, v) != null) {
                    throw new IllegalStateException("two objectives own parameter " + k);
                }
            });
        }
        return all;
    }

    @Override
    public boolean decays(String name) {
        return parts.stream().filter(p -> p.objective().parameters().containsKey(name)).findFirst()
                .map(p -> p.objective().decays(name)).orElse(Objective.super.decays(name));
    }

    @Override
    public Map<String, HostTensor> checkpointState() {
        Map<String, HostTensor> all = new LinkedHashMap<>();
        parts.forEach(p -> all.putAll(p.objective().checkpointState()));
        return all;
    }

    @Override
    public void restoreCheckpointState(Map<String, HostTensor> state) {
        for (Part p : parts) {
            Map<String, HostTensor> own = new LinkedHashMap<>();
            p.objective().checkpointState().keySet().forEach(k -> {
                if (state.containsKey(k)) {
                    own.put(k, state.get(k));
                }
            });
            p.objective().restoreCheckpointState(own);
        }
    }

    @Override
    public void close() {
        parts.forEach(p -> p.objective().close());
    }

    /**
     * The sum as a run asks for it. Its identity names every part with its weight, then each part's own settings,
     * so a resume with another weight or another part is refused.
     */
    public record Spec(List<String> names, List<Float> weights, List<Objective.Spec> specs) implements Objective.Spec {
        public Spec {
            names = List.copyOf(names);
            weights = List.copyOf(weights);
            specs = List.copyOf(specs);
        }

        @Override
        public Map<String, Object> identity() {
            Map<String, Object> m = new LinkedHashMap<>();
            List<String> terms = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                terms.add(names.get(i) + ":" + weights.get(i));
            }
            m.put("objective", String.join("+", terms));
            specs.forEach(s -> m.putAll(s.identity()));
            return m;
        }

        @Override
        public List<HookSpec> hooks() {
            return specs.stream().flatMap(s -> s.hooks().stream()).distinct().toList();
        }

        @Override
        public Double defaultMlmProbability() {
            return specs.stream().map(Objective.Spec::defaultMlmProbability).filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }

        @Override
        public String defaultMasking() {
            return specs.stream().map(Objective.Spec::defaultMasking).filter(x -> !x.equals("token")).findFirst().orElse("token");
        }

        @Override
        public Objective open(MaskedLm lm, boolean resumed, PrintStream log) {
            List<Part> parts = new ArrayList<>();
            try {
                for (int i = 0; i < specs.size(); i++) {
                    parts.add(new Part(names.get(i), weights.get(i), specs.get(i).open(lm, resumed, log)));
                }
                return new ObjectiveSum(parts);
            } catch (RuntimeException e) {
                parts.forEach(p -> p.objective().close());
                throw e;
            }
        }
    }
}
