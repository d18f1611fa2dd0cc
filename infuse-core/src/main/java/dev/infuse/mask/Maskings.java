package dev.infuse.mask;

import dev.infuse.InfuseException;
import dev.infuse.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The masking strategies {@code --masking} knows, by name, and the parser of its values: a name, or a
 * weighted mix such as {@code wwm=0.5,entity=0.5}. A new strategy is a {@link MaskingStrategy} class and
 * one registration line below.
 */
public final class Maskings {
    private static final Registry<MaskingStrategy> REGISTRY = new Registry<MaskingStrategy>()
            .register("token", TokenMasking::new)
            .register("wwm", WholeWordMasking::new)
            .alias("whole-word", "wwm")
            .register("entity", EntityMasking::new)
            .register("span", SpanMasking::new)
            .register("non-entity", OutsideEntityMasking::new);

    /** The registered names, in the order error messages list them (aliases left out). */
    public static final List<String> NAMES = REGISTRY.names();

    private Maskings() {}

    /** A strategy for {@code spec}, in any case: a name, or {@code name=weight} pairs joined by commas. */
    public static MaskingStrategy parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (!s.contains("=")) {
            return named(s, spec);
        }
        List<Mixture.Part> parts = new ArrayList<>();
        for (String item : s.split(",")) {
            String[] kv = item.split("=", -1);
            if (kv.length != 2) {
                throw unknown(spec);
            }
            parts.add(new Mixture.Part(named(kv[0].trim(), spec), weight(spec, kv[0].trim(), kv[1])));
        }
        return new Mixture(parts);
    }

    private static double weight(String spec, String name, String text) {
        double w;
        try {
            w = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new InfuseException("masking mix \"" + spec + "\": weight \"" + text + "\" is not a number");
        }
        if (!(w > 0) || Double.isInfinite(w)) {
            throw new InfuseException("masking mix \"" + spec + "\": weight of " + name + " must be positive, found " + w);
        }
        return w;
    }

    private static MaskingStrategy named(String name, String spec) {
        return REGISTRY.create(name).orElseThrow(() -> unknown(spec));
    }

    private static InfuseException unknown(String spec) {
        return new InfuseException("unknown masking \"" + spec + "\": expected one of " + String.join(", ", NAMES)
                + " or a mix like wwm=0.5,entity=0.5");
    }

    /** Whether the strategy needs entity spans to mean what its name says. */
    public static boolean usesEntities(MaskingStrategy s) {
        return s.usesEntities();
    }
}
