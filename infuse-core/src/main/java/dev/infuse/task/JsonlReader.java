package dev.infuse.task;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.domain.Lines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** Reads a jsonl task file ({@code *.gz} too) into records; a bad line fails with its number. */
public final class JsonlReader {
    private JsonlReader() {}

    /** @param parse turns one object into a record; given "FILE:LINE" for its own error messages */
    public static <T> List<T> read(Path file, BiFunction<JsonObject, String, T> parse) {
        List<T> out = new ArrayList<>();
        try (Lines lines = Lines.open(file)) {
            for (Lines.Line l = lines.next(); l != null; l = lines.next()) {
                String where = file + ":" + l.number();
                if (l.text() == null) {
                    throw new InfuseException(where + ": not valid UTF-8");
                }
                if (l.text().isBlank()) {
                    continue;
                }
                if (FileShapes.looksLikeConll(l.text())) {
                    throw new InfuseException(FileShapes.expectsJsonl(file.toString(), l.number()));
                }
                JsonElement e;
                try {
                    e = JsonParser.parseString(l.text());
                } catch (RuntimeException ex) {
                    throw new InfuseException(where + ": not a JSON object (" + parserReason(ex) + ")");
                }
                if (!e.isJsonObject()) {
                    throw new InfuseException(where + ": not a JSON object");
                }
                try {
                    out.add(parse.apply(e.getAsJsonObject(), where));
                } catch (InfuseException ex) {
                    throw ex;
                } catch (RuntimeException ex) {
                    throw new InfuseException(where + ": " + ex.getMessage());
                }
            }
        }
        return out;
    }

    /** The JSON parser's own first line, without Gson's wrapping class name and troubleshooting link. */
    private static String parserReason(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** A required string field, named in the error when missing. */
    public static String string(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull() || !e.isJsonPrimitive()) {
            throw new InfuseException(where + ": missing \"" + field + "\"");
        }
        return e.getAsString();
    }

    public static int integer(JsonObject o, String field, String where) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new InfuseException(where + ": missing integer \"" + field + "\"");
        }
        try {
            return e.getAsBigDecimal().intValueExact(); // 0.5 or 1e12 is refused, not cut to 0 or wrapped
        } catch (ArithmeticException | NumberFormatException notInt) {
            throw new InfuseException(where + ": \"" + field + "\" is " + e.getAsString() + ", expected a whole number of characters");
        }
    }
}
