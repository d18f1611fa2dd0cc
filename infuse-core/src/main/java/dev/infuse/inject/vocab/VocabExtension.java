package dev.infuse.inject.vocab;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Jsons;
import dev.infuse.io.Provenance;
import dev.infuse.model.AddedRows;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import dev.infuse.model.ModelStore;
import dev.infuse.model.VocabResize;
import dev.infuse.text.Tokenizers;
import dev.infuse.text.WordPieceTokenizer;
import dev.infuse.train.data.PassageSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code infuse vocab extend}: a model whose WordPiece vocabulary also holds a domain's most fragmented words, each starting
 * as the mean of its old pieces (input row, tied MLM output row and MLM bias).
 *
 * <p>The words become ordinary vocabulary entries appended to {@code vocab.txt} and to {@code tokenizer.json}'s WordPiece
 * model, not Hugging Face "added tokens". An added token is cut out of the text wherever it occurs, even inside a longer
 * word ("lisp" would turn "clisp" into "c" + "lisp"), and Python's slow tokenizer, which reads {@code vocab.txt} and
 * {@code added_tokens.json}, would not do the same as the fast one; a vocabulary entry changes only the words WordPiece
 * starts with it, in every reader alike. The files then agree: the new words are lines of {@code vocab.txt} and entries of
 * the {@code tokenizer.json} model with the same ids, and {@code added_tokens.json} keeps only the added tokens the model
 * already had (none for bert-base-uncased).
 *
 * <p>Nothing is half-written: the model goes to a hidden folder beside the output, which is renamed into place at the end.
 */
public final class VocabExtension {
    /** A rare entity as the FOLDOC benchmark defines its bucket: a name of several pieces and at most this many mentions. */
    public static final int RARE_MAX_MENTIONS = 5;

    /** The files a vocabulary extension writes; {@code --overwrite} replaces a directory holding only these. */
    public static final Set<String> FILES = Set.of("config.json", "model.safetensors", "vocab.txt", "tokenizer.json", "tokenizer_config.json",
            "special_tokens_map.json", "added_tokens.json", "provenance.json", AddedRows.FILE);

    /**
     * What to do.
     *
     * @param model a {@code --model} reference
     * @param bundle the domain bundle whose entities come first, or null for a plain corpus
     */
    public record Job(String model, PassageSource corpus, DomainBundle bundle, VocabChoice.Settings settings, Path output, boolean overwrite) {}

    /**
     * What was done.
     *
     * @param rareEntities how many entities count as rare (0 without a bundle)
     */
    public record Result(List<VocabChoice.Word> added, int firstId, VocabChoice.Fragmentation corpusBefore, VocabChoice.Fragmentation corpusAfter,
            VocabChoice.Fragmentation namesBefore, VocabChoice.Fragmentation namesAfter, VocabChoice.Fragmentation rareBefore,
            VocabChoice.Fragmentation rareAfter, int rareEntities) {}

    private VocabExtension() {}

    /** Refuses an output that cannot or must not be replaced, before any work. */
    public static void checkOutput(Path output, boolean overwrite, Path modelDir) {
        if (Files.isSymbolicLink(output) || (Files.exists(output) && !Files.isDirectory(output))) {
            throw new InfuseException("--output " + output + " is not a directory");
        }
        if (modelDir != null && Files.isDirectory(output)) {
            try {
                if (Files.isSameFile(output, modelDir)) {
                    throw new InfuseException("--output " + output + " is the --model directory; choose another directory");
                }
            } catch (IOException e) {
                throw new InfuseException("cannot compare --output with --model: " + e.getMessage());
            }
        }
        List<String> present = list(output);
        if (present.isEmpty()) {
            return;
        }
        if (!overwrite) {
            throw new InfuseException("--output " + output + " is not empty (" + String.join(", ", present) + "); choose an empty directory or pass --overwrite");
        }
        List<String> foreign = present.stream().filter(n -> !FILES.contains(n)).toList();
        if (!foreign.isEmpty()) {
            throw new InfuseException("--output " + output + " holds files infuse vocab extend does not write (" + String.join(", ", foreign)
                    + "); --overwrite replaces only an extended model, choose another directory");
        }
    }

    public static Result run(Job job, PrintStream log) {
        Path modelDir = ModelStore.resolve(job.model());
        checkOutput(job.output(), job.overwrite(), modelDir);
        WordPieceTokenizer tok = Tokenizers.wordPiece(modelDir);
        long t0 = System.nanoTime();
        VocabChoice.Counts counts = VocabChoice.count(tok, job.corpus());
        List<Entity> entities = job.bundle() == null ? List.of() : job.bundle().entities();
        List<VocabChoice.Word> chosen = VocabChoice.choose(tok, counts, entities, job.settings());
        log.printf(Locale.ROOT, "infuse: vocab: counted %,d words (%,d distinct split words) in %,d passages of %s in %.1f s%n",
                counts.fragmentation().words(), counts.words().size(), counts.passages(), job.corpus().describe(), (System.nanoTime() - t0) / 1e9);
        if (chosen.isEmpty()) {
            throw new InfuseException("nothing to add: no entity word splits, and no corpus word with at least " + job.settings().minCount()
                    + " occurrences splits into pieces");
        }
        List<String> newWords = chosen.stream().map(VocabChoice.Word::text).toList();
        List<String> grownVocab = new ArrayList<>(tok.vocab());
        grownVocab.addAll(newWords);
        WordPieceTokenizer grown = new WordPieceTokenizer(grownVocab, tok.doLowerCase(), tok.stripAccents(), "extended vocabulary", tok.addedTokens());
        int firstId = tok.vocabSize();

        List<String> names = new ArrayList<>();
        List<String> rare = new ArrayList<>();
        for (Entity e : entities) {
            names.add(e.name());
            names.addAll(e.aliases());
            int[] ids = tok.encode(e.name()).ids();
            boolean split = ids.length - 2 > 1 || Arrays.stream(ids).anyMatch(id -> id == tok.unkId()); // [UNK] counts as several, as there
            if (split && counts.mentions().getOrDefault(e.id(), 0) <= RARE_MAX_MENTIONS) {
                rare.add(e.name());
            }
        }
        Result r = new Result(chosen, firstId, counts.fragmentation(), VocabChoice.fragmentation(grown, job.corpus()),
                VocabChoice.fragmentation(tok, names), VocabChoice.fragmentation(grown, names), VocabChoice.fragmentation(tok, rare),
                VocabChoice.fragmentation(grown, rare), rare.size());

        try (MaskedLm lm = MaskedLm.load(modelDir.toString())) {
            if (lm.tokenizer().vocabSize() != tok.vocabSize()) {
                throw new InfuseException(modelDir + ": vocab.txt has " + tok.vocabSize() + " tokens but the model's tokenizer " + lm.tokenizer().vocabSize());
            }
            List<int[]> pieces = chosen.stream().map(VocabChoice.Word::pieces).toList();
            BertModel extended = VocabResize.appendMeanRows(lm.model(), firstId, pieces);
            try (MaskedLm out = new MaskedLm(extended, grown, "extended " + job.model())) {
                write(out, job, r, log);
            }
        }
        return r;
    }

    private static void write(MaskedLm out, Job job, Result r, PrintStream log) {
        Path target = job.output().toAbsolutePath().normalize();
        Path parent = target.getParent();
        Path work = parent.resolve("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        Path old = parent.resolve("." + target.getFileName() + ".old-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(parent);
            AtomicFiles.deleteTree(work);
            Provenance p = Provenance.of("model").input("base_model", job.model()).input("corpus", job.corpus().describe())
                    .input("corpus_sha256", job.corpus().sha256());
            if (job.bundle() != null) {
                p.input("domain", job.bundle().dir().toString());
            }
            p.setting("max_new", job.settings().maxNew()).setting("min_count", job.settings().minCount())
                    .setting("score", "pieces x corpus count (AVocaDo); entity words first")
                    .setting("init", "mean of the old pieces' rows: input embedding (tied MLM decoder) and MLM bias")
                    .setting("first_new_id", r.firstId()).setting("added_words", r.added().stream().map(VocabChoice.Word::text).toList())
                    .setting("corpus_pieces_per_word_before", r.corpusBefore().perWord()).setting("corpus_pieces_per_word_after", r.corpusAfter().perWord());
            out.save(work, p);
            AtomicFiles.writeString(work.resolve(AddedRows.FILE), Jsons.pretty().toJson(summary(out, r)) + "\n");
            if (Files.exists(target)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE); // checked: empty, or an extended model with --overwrite
            }
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.deleteTree(old);
        } catch (IOException e) {
            throw new InfuseException("cannot write --output " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                AtomicFiles.deleteTree(work);
            } catch (IOException ignored) {
                // A leftover hidden folder; the real error is on its way.
            }
        }
    }

    /** The {@value AddedRows#FILE} document: the new ids, and per word its old pieces, count and origin. */
    private static Map<String, Object> summary(MaskedLm out, Result r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("first_new_id", r.firstId());
        o.put("vocab_size", out.tokenizer().vocabSize());
        List<Map<String, Object>> words = new ArrayList<>();
        for (int i = 0; i < r.added().size(); i++) {
            VocabChoice.Word w = r.added().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("word", w.text());
            m.put("id", r.firstId() + i);
            m.put("pieces", Arrays.stream(w.pieces()).mapToObj(id -> out.tokenizer().idToToken(id)).toList());
            m.put("count", w.count());
            m.put("entity", w.entity());
            words.add(m);
        }
        o.put("words", words);
        return o;
    }

    private static List<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new InfuseException("cannot list --output " + dir + ": " + e.getMessage());
        }
    }
}
