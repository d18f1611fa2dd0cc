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
