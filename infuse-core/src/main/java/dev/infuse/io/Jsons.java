package dev.infuse.io;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/**
 * The JSON writers of infuse. A float that is NaN or infinite is written as Python's {@code json} module reads
 * it ({@code NaN}, {@code Infinity}) instead of stopping the whole output with an exception: a metrics line of a
 * diverged step or a probe that scored nothing must still be written. Readers must treat such values as absent.
 */
public final class Jsons {
    private static final Gson COMPACT = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().serializeNulls().create();
    private static final Gson PRETTY = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().setPrettyPrinting().create();

    private Jsons() {}

    /** One object a line, nulls kept (a field that is null says "nothing here", which a missing one does not). */
    public static Gson compact() {
        return COMPACT;
    }

    /** Indented, for files a person opens: configs, provenance, run state. */
    public static Gson pretty() {
        return PRETTY;
    }
}
