package dev.infuse.inject;

import dev.infuse.InfuseException;
import dev.infuse.Registry;
import dev.infuse.inject.zeo.ZeoSpec;
import dev.infuse.train.Objective;
import dev.infuse.train.ObjectiveSum;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pretraining objectives {@code infuse pretrain --method} accepts, by name. A new objective is a class with
 * a {@link Type} and one line below; the command never names one.
 */
public final class Objectives {
    /** How an objective is made from the flags a command parsed. */
    public interface Type {
        /** The flags it reads; one of them given with another objective is an error naming this one. */
        Set<String> flags();

        Objective.Spec spec(Args args);
    }

    /**
     * What a command parsed for its objective.
     *
     * @param domain the domain bundle, or null when the run reads a plain corpus
     * @param values every objective flag the command has, by name, with its value (a default when not typed)
     * @param given the flags the user typed
     */
    public record Args(Path domain, Map<String, Object> values, Set<String> given) {
        public <T> T get(String flag, Class<T> type) {
            if (!values.containsKey(flag)) {
                throw new IllegalArgumentException("the command offers no " + flag);
            }
            return type.cast(values.get(flag));
        }
    }

    private static final Type MLM = new Type() {
        @Override
        public Set<String> flags() {
            return Set.of();
        }

        @Override
        public Objective.Spec spec(Args args) {
            return Objective.Spec.MLM;
        }
    };

    private static final Registry<Type> REGISTRY = new Registry<Type>()
            .register("mlm", () -> MLM)
            .register("zeo", () -> ZeoSpec.TYPE)
            .register("sensebert", () -> dev.infuse.inject.sensebert.SenseBertSpec.TYPE)
            .register("wklm", () -> dev.infuse.inject.wklm.WklmSpec.TYPE)
            .register("libert", () -> dev.infuse.inject.libert.LibertSpec.TYPE)
            .register("dea", () -> dev.infuse.inject.ernie.DeaSpec.TYPE)
            .register("kepler", () -> dev.infuse.inject.kepler.KeplerSpec.TYPE);

    public static final List<String> NAMES = REGISTRY.names();

    private Objectives() {}

    /**
     * The objective {@code text} names (any case): one registered name, or several joined by {@code +}, each with an
     * optional weight ({@code mlm+sensebert:0.5}; a part without one weighs 1), whose losses are summed. A flag
     * that belongs to none of the parts is an error naming its objective.
     */
    public static Objective.Spec get(String text, Args args) {
        List<String> names = new java.util.ArrayList<>();
        List<Float> weights = new java.util.ArrayList<>();
        List<Type> types = new java.util.ArrayList<>();
        for (String part : text.toLowerCase(Locale.ROOT).split("\\+", -1)) {
            int colon = part.indexOf(':');
            String name = (colon < 0 ? part : part.substring(0, colon)).strip();
            types.add(REGISTRY.create(name).orElseThrow(() -> new InfuseException("unknown objective \"" + name + "\" in --method " + text
                    + ": expected " + String.join(", ", NAMES) + ", or several joined by + with weights (mlm+sensebert:0.5)")));
            if (names.contains(name)) {
                throw new InfuseException("--method " + text + " names " + name + " twice");
            }
            names.add(name);
            weights.add(colon < 0 ? 1f : weight(text, name, part.substring(colon + 1)));
        }
        Set<String> mine = new java.util.HashSet<>();
        types.forEach(t -> mine.addAll(t.flags()));
        for (String other : NAMES) {
            for (String flag : REGISTRY.create(other).orElseThrow().flags()) {
                if (args.given().contains(flag) && !mine.contains(flag)) {
                    throw new InfuseException(flag + " belongs to --method " + other);
                }
            }
        }
        if (types.size() == 1 && weights.get(0) == 1f) {
            return types.get(0).spec(args);
        }
        return new ObjectiveSum.Spec(names, weights, types.stream().map(t -> t.spec(args)).toList());
    }

    private static float weight(String text, String name, String value) {
        float w;
        try {
            w = Float.parseFloat(value.strip());
        } catch (NumberFormatException e) {
            throw new InfuseException("--method " + text + ": the weight of " + name + " (\"" + value + "\") is not a number");
        }
        if (!(w > 0) || Float.isInfinite(w)) {
            throw new InfuseException("--method " + text + ": the weight of " + name + " must be positive and finite, found " + value.strip());
        }
        return w;
    }
}
