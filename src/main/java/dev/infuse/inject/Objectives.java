package dev.infuse.inject;

import dev.infuse.InfuseException;
import dev.infuse.Registry;
import dev.infuse.inject.zeo.ZeoSpec;
import dev.infuse.train.Objective;
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
            .register("zeo", () -> ZeoSpec.TYPE);

    public static final List<String> NAMES = REGISTRY.names();

    private Objectives() {}

    /** The objective {@code name} (any case) from {@code args}; a flag that belongs to another objective is an error. */
    public static Objective.Spec get(String name, Args args) {
        String key = name.toLowerCase(Locale.ROOT);
        Type type = REGISTRY.create(key).orElseThrow(
                () -> new InfuseException("unknown --method \"" + name + "\": expected " + String.join(" or ", NAMES)));
        for (String other : NAMES) {
            for (String flag : REGISTRY.create(other).orElseThrow().flags()) {
                if (args.given().contains(flag) && !type.flags().contains(flag)) {
                    throw new InfuseException(flag + " belongs to --method " + other);
                }
            }
        }
        return type.spec(args);
    }
}
