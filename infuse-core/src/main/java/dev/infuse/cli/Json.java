package dev.infuse.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** The one JSON printer of the CLI: {@code --json} output is a single object on stdout. */
final class Json {
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

    private Json() {}

    static void print(Object value) {
        System.out.println(GSON.toJson(value));
        System.out.flush();
    }
}
