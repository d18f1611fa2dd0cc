package dev.infuse.task;

import dev.infuse.InfuseException;
import java.util.Locale;

/**
 * How the encoder takes part. FULL trains it (all of it, or the top K layers with
 * {@code --train-top-layers}); the three feature modes freeze it and train only the head on
 * the embedding output, the top layer, or a learned softmax-weighted mix of all L + 1 hidden states
 * (ELMo's scalar mix), which shows where in the network the task's knowledge sits.
 */
public enum Transfer {
    FULL, EMBEDDINGS, TOP, MIX;

    public boolean frozen() {
        return this != FULL;
    }

    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Transfer parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "full", "finetune" -> FULL;
            case "embeddings" -> EMBEDDINGS;
            case "top" -> TOP;
            case "mix", "scalar-mix" -> MIX;
            default -> throw new InfuseException("unknown --transfer \"" + s + "\": expected full, embeddings, top or mix");
        };
    }
}
