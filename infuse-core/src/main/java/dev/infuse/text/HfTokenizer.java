package dev.infuse.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A HuggingFace {@code tokenizer.json} run by DJL's native tokenizers binding.
 *
 * <p>Always built from the file's bytes, never from a hub name ({@code newInstance(String)} goes to the
 * network). DJL's defaults differ from Python's (it pads to the longest and truncates at 512), so padding
 * is always off and truncation is off unless a max length is given. DJL's offsets count Unicode code
 * points; they are converted to Java char offsets here, which differ after any supplementary character.
 * The vocabulary and special tokens are read from the JSON itself, since DJL does not expose them.
 */
public final class HfTokenizer implements Tokenizer {
    private final HuggingFaceTokenizer tokenizer;
    private final byte[] json;
    private final Path source;
    private final HfVocab vocab;
    private final int maxLength;
    /** Whether tokens were added since loading, so a neighbouring vocab.txt can no longer be copied as it is. */
    private final boolean grown;

    /** Loads {@code tokenizer.json} (or a directory holding it) without truncation. */
    public static HfTokenizer load(Path path) {
        return load(path, 0);
    }

    /**
     * @param maxLength truncate encodings (specials included) to this many tokens; 0 means never truncate
     */
    public static HfTokenizer load(Path path, int maxLength) {
        if (maxLength < 0) {
            throw new IllegalArgumentException("maxLength must be 0 (off) or positive, got " + maxLength);
        }
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new InfuseException("tokenizer.json not found: " + file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        JsonObject root;
        try {
            JsonElement parsed = JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8));
            if (!parsed.isJsonObject()) {
                throw new InfuseException("tokenizer.json is not a JSON object: " + file);
            }
            root = parsed.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw new InfuseException("tokenizer.json is not valid JSON (" + e.getMessage() + "): " + file, e);
        }
        HfVocab vocab = HfVocab.of(root, file);
        return new HfTokenizer(open(bytes, maxLength, file), bytes, file, vocab, maxLength, false);
    }

    private HfTokenizer(HuggingFaceTokenizer tokenizer, byte[] json, Path source, HfVocab vocab, int maxLength, boolean grown) {
        this.tokenizer = tokenizer;
        this.json = json;
        this.source = source;
        this.vocab = vocab;
        this.maxLength = maxLength;
        this.grown = grown;
    }

    /**
     * A tokenizer whose {@code added_tokens} also hold {@code tokens}, with Hugging Face's defaults for a
     * non-special added token (matched in the normalised text, even inside a longer word). The content is
     * kept as given; the normaliser applies to it when matching, as in Python. A token already in the
     * vocabulary (exact spelling), or given twice, is skipped.
     */
    @Override
    public HfTokenizer withAddedTokens(List<String> tokens) {
        JsonObject root = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
        if (!root.has("added_tokens") || !root.get("added_tokens").isJsonArray()) {
            root.add("added_tokens", new JsonArray());
        }
        JsonArray added = root.getAsJsonArray("added_tokens");
        Set<String> seen = new HashSet<>(vocab.ids().keySet());
        int next = vocabSize();
        for (String t : tokens) {
            if (t.isBlank()) {
                throw new InfuseException("an added token must not be empty or blank, found \"" + t + "\"");
            }
            if (seen.add(t)) {
                JsonObject a = new JsonObject();
                a.addProperty("id", next++);
                a.addProperty("content", t);
                a.addProperty("single_word", false);
                a.addProperty("lstrip", false);
                a.addProperty("rstrip", false);
                a.addProperty("normalized", true);
                a.addProperty("special", false);
                added.add(a);
            }
        }
        byte[] bytes = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root)
                .getBytes(StandardCharsets.UTF_8);
        return new HfTokenizer(open(bytes, maxLength, source), bytes, source, HfVocab.of(root, source), maxLength, true);
    }

    private static HuggingFaceTokenizer open(byte[] bytes, int maxLength, Path file) {
        Engines.get(); // sets ai.djl.offline and the tracking opt-out before DJL's first call
        Map<String, String> options = new java.util.HashMap<>(Map.of(
                "addSpecialTokens", "true",
                "withOverflowingTokens", "false",
                "padding", "false",
                "truncation", maxLength > 0 ? "true" : "false"));
        if (maxLength > 0) {
            options.put("maxLength", Integer.toString(maxLength));
            options.put("modelMaxLength", Integer.toString(maxLength)); // else DJL caps maxLength at 512
        }
        try {
            return HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(bytes), options);
        } catch (IOException | RuntimeException e) {
            throw new InfuseException("cannot load tokenizer.json (" + e.getMessage() + "): " + file, e);
        }
    }

    /** The tokenizer.json this was loaded from. */
    public Path source() {
        return source;
    }

    @Override
    public Encoding encode(String text) {
        Objects.requireNonNull(text, "text");
        return convert(tokenizer.encode(text), text, null);
    }

    @Override
    public Encoding encodePair(String a, String b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        return convert(tokenizer.encode(a, b), a, b);
    }

    /** DJL encoding to ours: code point offsets to char offsets, -1 spans for specials, word ids continued. */
    private static Encoding convert(ai.djl.huggingface.tokenizers.Encoding e, String a, String b) {
        long[] ids = e.getIds();
        long[] types = e.getTypeIds();
        long[] words = e.getWordIds();
        long[] specialMask = e.getSpecialTokenMask();
        long[] sequences = e.getSequenceIds();
        CharSpan[] spans = e.getCharTokenSpans();
        int n = ids.length;
        int[] outIds = new int[n];
        int[] outTypes = new int[n];
        int[] starts = new int[n];
        int[] ends = new int[n];
        boolean[] special = new boolean[n];
        int[] wordIds = new int[n];
        int[] charsA = codePointToChar(a);
        int[] charsB = b == null ? null : codePointToChar(b);
        int wordsInA = 0;
        for (int i = 0; i < n; i++) {
            if (sequences[i] != 1 && words[i] >= 0) {
                wordsInA = Math.max(wordsInA, (int) words[i] + 1);
            }
        }
        for (int i = 0; i < n; i++) {
            outIds[i] = Math.toIntExact(ids[i]);
            outTypes[i] = (int) types[i];
            special[i] = specialMask[i] != 0;
            boolean second = sequences[i] == 1;
            CharSpan span = spans[i];
            if (special[i] || span == null) {
                starts[i] = -1;
                ends[i] = -1;
            } else {
                int[] map = second ? charsB : charsA;
                starts[i] = map[Math.min(span.getStart(), map.length - 1)];
                ends[i] = map[Math.min(span.getEnd(), map.length - 1)];
            }
            wordIds[i] = special[i] || words[i] < 0 ? -1 : (int) words[i] + (second ? wordsInA : 0);
        }
        return new Encoding(outIds, outTypes, starts, ends, special, wordIds);
    }

    /** For each code point index 0..count (inclusive), its char index; identity when no surrogates. */
    static int[] codePointToChar(String s) {
        int count = s.codePointCount(0, s.length());
        int[] map = new int[count + 1];
        int c = 0;
        for (int i = 0; i < count; i++) {
            map[i] = c;
            c += Character.charCount(s.codePointAt(c));
        }
        map[count] = s.length();
        return map;
    }

    @Override
    public int tokenToId(String token) {
        return vocab.ids().getOrDefault(token, -1);
    }

    @Override
    public String idToToken(int id) {
        String t = id >= 0 && id < vocab.tokens().length ? vocab.tokens()[id] : null;
        if (t == null) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + source);
        }
        return t;
    }

    @Override
    public int vocabSize() {
        return vocab.tokens().length;
    }

    @Override
    public int maskId() {
        return vocab.maskId();
    }

    @Override
    public String maskToken() {
        return vocab.tokens()[vocab.maskId()];
    }

    @Override
    public int clsId() {
        return vocab.clsId();
    }

    @Override
    public int sepId() {
        return vocab.sepId();
    }

    @Override
    public int padId() {
        return vocab.padId();
    }

    @Override
    public boolean isSpecial(int id) {
        return vocab.special().contains(id);
    }

    /**
     * Writes the tokenizer.json bytes, plus its neighbouring config files and vocab.txt if any. After
     * {@link #withAddedTokens} the vocab.txt is rewritten from the full vocabulary (added tokens appended)
     * with an {@code added_tokens.json} beside it, so a directory read through vocab.txt alone agrees; when
     * the ids have gaps no vocab.txt can say that, and none is written.
     */
    @Override
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("tokenizer.json"), json);
            Path from = source.toAbsolutePath().getParent();
            String[] neighbours = {"tokenizer_config.json", "special_tokens_map.json", "vocab.txt", VocabFile.ADDED_TOKENS};
            for (String name : neighbours) {
                Path src = from.resolve(name);
                Path dst = dir.resolve(name);
                boolean rewritten = grown && (name.equals("vocab.txt") || name.equals(VocabFile.ADDED_TOKENS));
                if (!rewritten && Files.isRegularFile(src) && (!Files.exists(dst) || !Files.isSameFile(src, dst))) {
                    Files.copy(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            if (grown && Files.isRegularFile(from.resolve("vocab.txt"))) {
                List<String> all = java.util.Arrays.asList(vocab.tokens());
                if (!all.contains(null)) {
                    VocabFile.write(all, dir.resolve("vocab.txt"));
                    VocabFile.writeAdded(nonSpecialAdded(), vocab.ids(), dir.resolve(VocabFile.ADDED_TOKENS));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save tokenizer to " + dir, e);
        }
    }

    /** The contents of the non-special entries of {@code added_tokens}, in id order. */
    private List<String> nonSpecialAdded() {
        JsonObject root = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
        List<JsonObject> out = new java.util.ArrayList<>();
        if (root.has("added_tokens") && root.get("added_tokens").isJsonArray()) {
            for (JsonElement e : root.getAsJsonArray("added_tokens")) {
                JsonObject a = e.getAsJsonObject();
                if (!(a.has("special") && a.get("special").getAsBoolean())) {
                    out.add(a);
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(a -> a.get("id").getAsInt()));
        return out.stream().map(a -> a.get("content").getAsString()).toList();
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
