package dev.infuse.inject;

/**
 * A hint a knowledge probe gives the plug-ins: the sentence's subject is {@code surface} and is entity
 * {@code entity} (LAMA's sub_label and the probe's entity id). A plug-in that links mentions may link the
 * subject by it instead of by its own names; the others ignore it.
 */
public record SubjectHint(String surface, String entity) {
    /** Its key in a row's extras. */
    public static final String KEY = "probe-subject";
}
