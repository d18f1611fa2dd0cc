package dev.infuse.domain;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;

/**
 * The on-disk line formats of a bundle, shared by reader, writer and validator so the three agree.
 *
 * <p>Parsers throw {@link IllegalArgumentException} with a message that lacks the position; callers
 * prefix {@code file:line}. Fields are read by hand rather than by Gson binding so that a wrong type
 * yields "field 'x' is a number, expected a string" instead of a reflection error.
 */
public final class BundleFormat {
    private BundleFormat() {}

    public static Entity parseEntity(String line) {
        JsonObject o = object(line);
        return new Entity(string(o, "id", true), string(o, "name", true), strings(o, "aliases"),
                string(o, "type", false), string(o, "description", false));
    }

    public static Passage parsePassage(String line) {
        JsonObject o = object(line);
        List<Mention> mentions = new ArrayList<>();
        JsonElement ms = o.get("mentions");
        if (ms != null && !ms.isJsonNull()) {
            if (!ms.isJsonArray()) {
                throw new IllegalArgumentException("field 'mentions' is " + kind(ms) + ", expected an array");
            }
            int i = 0;
            for (JsonElement e : ms.getAsJsonArray()) {
                if (!e.isJsonObject()) {
                    throw new IllegalArgumentException("mention " + i + " is " + kind(e) + ", expected an object");
                }
                JsonObject m = e.getAsJsonObject();
                mentions.add(new Mention(integer(m, "start"), integer(m, "end"), string(m, "entity", true)));
                i++;
            }
        }
        return new Passage(string(o, "id", true), string(o, "text", true), mentions);
    }

    /** Parses one {@code triples.tsv} line: exactly three tab-separated fields. */
    public static Triple parseTriple(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 3) {
            throw new IllegalArgumentException("found " + f.length + " tab-separated fields, expected 3 (head, relation, tail)");
        }
        return new Triple(f[0].strip(), f[1].strip(), f[2].strip());
    }

    public static String format(Entity e) {
        JsonObject o = new JsonObject();
        o.addProperty("id", e.id());
        o.addProperty("name", e.name());
        JsonArray a = new JsonArray();
        e.aliases().forEach(a::add);
        o.add("aliases", a);
        o.addProperty("type", e.type());
        o.addProperty("description", e.description());
        return o.toString();
    }

    public static String format(Passage p) {
        JsonObject o = new JsonObject();
        o.addProperty("id", p.id());
        o.addProperty("text", p.text());
        JsonArray a = new JsonArray();
        for (Mention m : p.mentions()) {
            JsonObject j = new JsonObject();
            j.addProperty("start", m.start());
            j.addProperty("end", m.end());
            j.addProperty("entity", m.entity());
            a.add(j);
        }
        o.add("mentions", a);
        return o.toString();
    }

    public static String format(Triple t) {
        return t.head() + "\t" + t.relation() + "\t" + t.tail();
    }

    static JsonObject object(String line) {
        JsonElement e;
        try {
            // Strict: Gson's default lenient mode would accept unquoted keys and single quotes,
            // which other JSONL consumers reject.
            JsonReader r = new JsonReader(new StringReader(line));
            r.setStrictness(Strictness.STRICT);
            e = JsonParser.parseReader(r);
            if (r.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("malformed JSON (text after the object)");
            }
        } catch (JsonParseException | IllegalStateException | IOException ex) {
            throw new IllegalArgumentException("malformed JSON (" + rootCause(ex) + ")");
        }
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException("found " + kind(e) + ", expected a JSON object");
        }
        return e.getAsJsonObject();
    }

    private static String string(JsonObject o, String field, boolean required) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new IllegalArgumentException("missing field '" + field + "'");
            }
            return "";
        }
        if (!(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString())) {
            throw new IllegalArgumentException("field '" + field + "' is " + kind(e) + ", expected a string");
        }
        return e.getAsString();
    }

    private static int integer(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("mention field '" + field + "' is "
                    + (e == null ? "missing" : kind(e)) + ", expected an integer");
        }
        double d = e.getAsDouble();
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("mention field '" + field + "' is " + e + ", expected an integer");
        }
        return (int) d;
    }

    private static List<String> strings(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        if (!e.isJsonArray()) {
            throw new IllegalArgumentException("field '" + field + "' is " + kind(e) + ", expected an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonElement x : e.getAsJsonArray()) {
            if (!(x.isJsonPrimitive() && x.getAsJsonPrimitive().isString())) {
                throw new IllegalArgumentException("field '" + field + "' holds " + kind(x) + ", expected strings");
            }
            out.add(x.getAsString());
        }
        return out;
    }

    static String kind(JsonElement e) {
        if (e.isJsonNull()) {
            return "null";
        }
        if (e.isJsonArray()) {
            return "an array";
        }
        if (e.isJsonObject()) {
            return "an object";
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        return p.isString() ? "a string" : p.isNumber() ? "a number" : "a boolean";
    }

    private static String rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
