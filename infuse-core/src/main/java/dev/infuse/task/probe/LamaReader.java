package dev.infuse.task.probe;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads LAMA jsonl: {@code {"sub_label","obj_label","masked_sentences":[..],"relation"}} plus the optional
 * {@code "bucket"} and {@code "entity"}. Other fields are ignored. The first masked sentence is the query.
 */
public final class LamaReader {
    private LamaReader() {}

    /** Reads every probe into memory (probe files are small); see {@link #forEach} to stream. */
    public static List<ProbeItem> read(Path file) {
        List<ProbeItem> out = new ArrayList<>();
        forEach(file, out::add);
        return out;
    }

    /** Streams the probes in file order, one line at a time; an empty file is an error. */
    public static void forEach(Path file, java.util.function.Consumer<ProbeItem> sink) {
        if (java.nio.file.Files.isDirectory(file)) {
            throw new InfuseException(file + ": is a directory, expected a probe file");
        }
        int count = 0;
        try (BufferedReader r = new BufferedReader(new java.io.InputStreamReader(open(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)))) {
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                if (!line.isBlank()) {
                    sink.accept(parse(file, n, line));
                    count++;
                }
            }
        } catch (NoSuchFileException e) {
            throw new InfuseException("probe file not found: " + file);
        } catch (CharacterCodingException e) {
            throw new InfuseException(file + ": invalid UTF-8");
        } catch (IOException e) {
            throw dev.infuse.domain.Lines.readError(file, e);
        } catch (UncheckedIOException e) {
            throw dev.infuse.domain.Lines.readError(file, e.getCause());
        }
        if (count == 0) {
            throw new InfuseException(file + ": no probes");
        }
    }

    /** The file's bytes, gunzipped when its name ends in {@code .gz}. */
    private static java.io.InputStream open(Path file) throws IOException {
        java.io.InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new java.util.zip.GZIPInputStream(in, 1 << 16) : in;
    }

    static ProbeItem parse(Path file, int n, String line) {
        JsonObject o;
        try {
            o = JsonParser.parseString(line).getAsJsonObject();
        } catch (RuntimeException e) {
            if (dev.infuse.task.FileShapes.looksLikeConll(line)) {
                throw new InfuseException(dev.infuse.task.FileShapes.expectsJsonl(file.toString(), n));
            }
            throw new InfuseException(file + ":" + n + ": malformed JSON line");
        }
        JsonElement sentences = o.get("masked_sentences");
        if (sentences == null || !sentences.isJsonArray() || ((JsonArray) sentences).isEmpty()) {
            throw new InfuseException(file + ":" + n + ": missing \"masked_sentences\"");
        }
        String sentence = sentences.getAsJsonArray().get(0).getAsString();
        if (!sentence.contains("[MASK]")) {
            throw new InfuseException(file + ":" + n + ": the masked sentence has no [MASK]");
        }
        return new ProbeItem(n, field(file, n, o, "sub_label", true), field(file, n, o, "obj_label", true), sentence,
                field(file, n, o, "relation", false), field(file, n, o, "bucket", false), field(file, n, o, "entity", false));
    }

    private static String field(Path file, int n, JsonObject o, String key, boolean required) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw new InfuseException(file + ":" + n + ": missing \"" + key + "\"");
            }
            return "";
        }
        if (!e.isJsonPrimitive()) {
            throw new InfuseException(file + ":" + n + ": \"" + key + "\" must be a string");
        }
        return e.getAsString();
    }
}
