package dev.infuse.text;

import dev.infuse.InfuseException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads, checks and writes a BERT {@code vocab.txt}: one token per line, the line number minus one is
 * the id. Shared by {@link WordPieceTokenizer} and {@link TokenizerJsonWriter} so both reject the same
 * bad files with the same messages.
 */
final class VocabFile {
    /** The five tokens every BERT vocabulary needs, in the order we report them missing. */
    static final List<String> REQUIRED = List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]");

    private VocabFile() {}

    /** Reads the tokens, dropping a UTF-8 byte order mark and a trailing CR per line; checks nothing else. */
    static List<String> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InfuseException("vocab.txt not found: " + file);
        }
        List<String> tokens = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (tokens.isEmpty() && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                tokens.add(line);
            }
        } catch (CharacterCodingException e) {
            throw new InfuseException("vocab.txt is not valid UTF-8: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return tokens;
    }

    /**
     * Maps token to id and checks the vocabulary: not empty, no empty or repeated lines, the five
     * required specials present. {@code source} names the file in messages.
     */
    static Map<String, Integer> index(List<String> tokens, String source) {
        if (tokens.isEmpty()) {
            throw new InfuseException("vocab.txt is empty: " + source);
        }
        Map<String, Integer> ids = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (t.isEmpty()) {
                throw new InfuseException("vocab.txt line " + (i + 1) + " is empty, expected one token per line: "
                        + source);
            }
            Integer first = ids.putIfAbsent(t, i);
            if (first != null) {
                throw new InfuseException("vocab.txt line " + (i + 1) + " repeats \"" + t + "\" from line "
                        + (first + 1) + ", expected each token once: " + source);
            }
        }
        for (String special : REQUIRED) {
            if (!ids.containsKey(special)) {
                throw new InfuseException("vocab.txt has no " + special + " token: " + source);
            }
        }
        return ids;
    }

    /** Hugging Face's file of added tokens beside vocab.txt: a JSON object of token to id. */
    static final String ADDED_TOKENS = "added_tokens.json";

    /**
     * The added tokens of {@code file} (absent: none) in id order. A token whose id is inside {@code vocab}
     * must be that line of vocab.txt; ids past its end must follow on without gaps and are appended to
     * {@code vocab}, which is how Python saves a slow tokenizer.
     */
    static List<String> readAdded(Path file, List<String> vocab) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        Map<String, Integer> byToken = new HashMap<>();
        try {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            o.entrySet().forEach(e -> byToken.put(e.getKey(), e.getValue().getAsInt()));
        } catch (IOException | RuntimeException e) {
            throw new InfuseException(ADDED_TOKENS + " is not a JSON object of token to id (" + e.getMessage() + "): " + file, e);
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(byToken.entrySet());
        sorted.sort(Map.Entry.comparingByValue());
        List<String> added = new ArrayList<>();
        for (Map.Entry<String, Integer> e : sorted) {
            int id = e.getValue();
            if (id < vocab.size()) {
                if (!vocab.get(id).equals(e.getKey())) {
                    throw new InfuseException(ADDED_TOKENS + " gives \"" + e.getKey() + "\" id " + id + " but vocab.txt line "
                            + (id + 1) + " is \"" + vocab.get(id) + "\": " + file);
                }
            } else if (id == vocab.size()) {
                vocab.add(e.getKey());
            } else {
                throw new InfuseException(ADDED_TOKENS + " gives \"" + e.getKey() + "\" id " + id + ", expected " + vocab.size()
                        + " (the next free id): " + file);
            }
            added.add(e.getKey());
        }
        return added;
    }

    /** Writes {@code added} with their ids; with none, removes a stale file so the directory stays consistent. */
    static void writeAdded(List<String> added, Map<String, Integer> ids, Path file) {
        try {
            if (added.isEmpty()) {
                Files.deleteIfExists(file);
                return;
            }
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            for (String t : added) {
                o.addProperty(t, ids.get(t));
            }
            Files.createDirectories(file.toAbsolutePath().getParent());
            String json = new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(o);
            Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    static void write(List<String> tokens, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // "\n" line ends on every platform: the file must read the same from Python.
            StringBuilder sb = new StringBuilder(tokens.size() * 8);
            for (String t : tokens) {
                sb.append(t).append('\n');
            }
            Files.writeString(file, sb, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
