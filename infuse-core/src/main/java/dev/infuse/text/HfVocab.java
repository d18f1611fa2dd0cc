package dev.infuse.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vocabulary and special ids of a {@code tokenizer.json}, read with Gson because DJL's binding
 * exposes neither. Handles WordPiece/BPE ({@code model.vocab} as token-to-id object) and Unigram
 * ({@code model.vocab} as [piece, score] list) plus {@code added_tokens}.
 *
 * <p>Special tokens come from {@code special_tokens_map.json} next to the file when it names them, else
 * from the usual spellings: BERT's {@code [MASK]} style first, then RoBERTa's {@code <mask>} style.
 */
record HfVocab(String[] tokens, Map<String, Integer> ids, Set<Integer> special, int maskId, int clsId, int sepId,
        int padId) {

    static HfVocab of(JsonObject root, Path file) {
        Map<String, Integer> ids = new HashMap<>();
        JsonElement model = root.get("model");
        JsonElement vocab = model != null && model.isJsonObject() ? model.getAsJsonObject().get("vocab") : null;
        if (vocab == null || vocab.isJsonNull()) {
            throw new InfuseException("tokenizer.json has no model.vocab: " + file);
        }
        if (vocab.isJsonObject()) {
            for (Map.Entry<String, JsonElement> e : vocab.getAsJsonObject().entrySet()) {
                ids.put(e.getKey(), e.getValue().getAsInt());
            }
        } else {
            JsonArray pieces = vocab.getAsJsonArray();
            for (int i = 0; i < pieces.size(); i++) {
                ids.put(pieces.get(i).getAsJsonArray().get(0).getAsString(), i);
            }
        }
        Set<Integer> special = new HashSet<>();
        JsonElement added = root.get("added_tokens");
        if (added != null && added.isJsonArray()) {
            for (JsonElement a : added.getAsJsonArray()) {
                JsonObject t = a.getAsJsonObject();
                int id = t.get("id").getAsInt();
                ids.put(t.get("content").getAsString(), id);
                if (t.has("special") && t.get("special").getAsBoolean()) {
                    special.add(id);
                }
            }
        }
        if (ids.isEmpty()) {
            throw new InfuseException("tokenizer.json has an empty vocabulary: " + file);
        }
        int size = 0;
        for (int id : ids.values()) {
            if (id < 0) {
                throw new InfuseException("tokenizer.json has a negative token id " + id + ": " + file);
            }
            size = Math.max(size, id + 1);
        }
        String[] tokens = new String[size];
        ids.forEach((t, id) -> tokens[id] = t);

        Map<String, String> named = specialTokensMap(file.toAbsolutePath().getParent().resolve("special_tokens_map.json"));
        int mask = find(ids, named.get("mask_token"), List.of("[MASK]", "<mask>"), "mask", file);
        int cls = find(ids, named.get("cls_token"), List.of("[CLS]", "<s>"), "cls", file);
        int sep = find(ids, named.get("sep_token"), List.of("[SEP]", "</s>"), "sep", file);
        int pad = find(ids, named.get("pad_token"), List.of("[PAD]", "<pad>"), "pad", file);
        special.addAll(List.of(mask, cls, sep, pad));
        return new HfVocab(tokens, Map.copyOf(ids), Set.copyOf(special), mask, cls, sep, pad);
    }

    private static int find(Map<String, Integer> ids, String named, List<String> usual, String role, Path file) {
        if (named != null) {
            Integer id = ids.get(named);
            if (id == null) {
                throw new InfuseException("special_tokens_map.json names " + role + "_token \"" + named
                        + "\" but tokenizer.json has no such token: " + file);
            }
            return id;
        }
        for (String t : usual) {
            Integer id = ids.get(t);
            if (id != null) {
                return id;
            }
        }
        throw new InfuseException("tokenizer.json has no " + role + " token (looked for " + String.join(" or ", usual)
                + "): " + file);
    }

    /** role to token content; values may be strings or {"content": ...} objects. Missing file: empty. */
    private static Map<String, String> specialTokensMap(Path file) {
        Map<String, String> out = new HashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            JsonObject o = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
            for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                JsonElement v = e.getValue();
                if (v.isJsonPrimitive()) {
                    out.put(e.getKey(), v.getAsString());
                } else if (v.isJsonObject() && v.getAsJsonObject().has("content")) {
                    out.put(e.getKey(), v.getAsJsonObject().get("content").getAsString());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("special_tokens_map.json is not a JSON object of token names (" + e.getMessage()
                    + "): " + file, e);
        }
        return out;
    }
}
