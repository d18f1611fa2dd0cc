package dev.infuse.mask;

import dev.infuse.InfuseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a {@code --masking} value into a strategy: a name, or a weighted mix such as {@code wwm=0.5,entity=0.5}. */
public final class Maskings {
    public static final List<String> NAMES = List.of("token", "wwm", "entity", "span");

    private Maskings() {}

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
            double w;
            try {
                w = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new InfuseException("masking mix \"" + spec + "\": weight \"" + kv[1] + "\" is not a number");
            }
            if (!(w > 0) || Double.isInfinite(w)) {
                throw new InfuseException("masking mix \"" + spec + "\": weight of " + kv[0].trim() + " must be positive, found " + w);
            }
            parts.add(new Mixture.Part(named(kv[0].trim(), spec), w));
        }
        return new Mixture(parts);
    }

    private static MaskingStrategy named(String name, String spec) {
        return switch (name) {
            case "token" -> new TokenMasking();
            case "wwm", "whole-word" -> new WholeWordMasking();
            case "entity" -> new EntityMasking();
            case "span" -> new SpanMasking();
            default -> throw unknown(spec);
        };
    }

    private static InfuseException unknown(String spec) {
        return new InfuseException("unknown masking \"" + spec + "\": expected one of " + String.join(", ", NAMES)
                + " or a mix like wwm=0.5,entity=0.5");
    }

    /** Whether the strategy needs entity spans to mean what its name says. */
    public static boolean usesEntities(MaskingStrategy s) {
        if (s instanceof Mixture m) {
            return m.parts().stream().anyMatch(p -> usesEntities(p.strategy()));
        }
        return s instanceof EntityMasking;
    }
}
