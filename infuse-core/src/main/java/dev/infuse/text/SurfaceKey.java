package dev.infuse.text;

import java.util.Locale;

/**
 * How two spellings of an entity's name are compared when one of them went through a CoNLL file: lower
 * case, white space removed, because CoNLL tokens lose the spaces of "C++" ("C + +"). The FOLDOC builder
 * writes NER buckets with it and the NER scorer reads them with it, so the two must share this one rule.
 */
public final class SurfaceKey {
    private SurfaceKey() {}

    public static String of(String surface) {
        return surface.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
    }
}
