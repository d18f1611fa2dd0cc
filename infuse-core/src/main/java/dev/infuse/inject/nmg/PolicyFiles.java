package dev.infuse.inject.nmg;

import dev.infuse.InfuseException;
import dev.infuse.io.AtomicFiles;
import dev.infuse.io.Provenance;
import dev.infuse.model.BertConfig;
import dev.infuse.model.io.HostTensor;
import dev.infuse.model.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A policy directory: {@code policy.json} (its shape and the fingerprint of the model it reads),
 * {@code policy.safetensors} (its weights, named {@code policy.…}) and {@code provenance.json}. A policy reads
 * one model's hidden states, so loading it for another model is refused.
 */
public final class PolicyFiles {
    public static final String WEIGHTS = "policy.safetensors";
    /** The prefix of a saved policy's weights. */
    public static final String PREFIX = "policy";

    private PolicyFiles() {}

    /** Writes the three files, each atomically; {@code policy.json} last, so a directory with it is whole. */
    public static void save(Path dir, PolicyNet net, Provenance provenance) {
        Map<String, HostTensor> weights = new java.util.LinkedHashMap<>();
        net.export().forEach((k, v) -> weights.put(PREFIX + k.substring(net.prefix().length()), v));
        Safetensors.write(dir.resolve(WEIGHTS), weights, Map.of("format", "pt", "infuse", PolicyConfig.FORMAT));
        provenance.write(dir.resolve("provenance.json"));
        AtomicFiles.writeString(dir.resolve(PolicyConfig.FILE), net.config().toJson());
    }

    /** The config of the policy in {@code dir}, checked against the model that will feed it; one line if it does not fit. */
    public static PolicyConfig config(Path dir, BertConfig model, String fingerprint) {
        Path file = dir.resolve(PolicyConfig.FILE);
        if (!Files.isDirectory(dir) || !Files.isRegularFile(file)) {
            throw new InfuseException("NMG policy " + dir + " has no " + PolicyConfig.FILE + "; expected the --output-dir of infuse nmg train");
        }
        PolicyConfig c = PolicyConfig.read(file);
        if (c.hidden() != model.hiddenSize()) {
            throw new InfuseException("NMG policy " + dir + " reads hidden states of size " + c.hidden() + ", this model's are "
                    + model.hiddenSize() + "; it was trained for another model");
        }
        if (fingerprint != null && !c.modelFingerprint().equals(fingerprint)) {
            throw new InfuseException("NMG policy " + dir + " was trained for another model (fingerprint " + shortly(c.modelFingerprint())
                    + ", this model is " + shortly(fingerprint) + ")");
        }
        return c;
    }

    /** The policy's net, named under {@code prefix}. */
    public static PolicyNet load(Path dir, PolicyConfig config, String prefix) {
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) {
            throw new InfuseException("NMG policy " + dir + " has no " + WEIGHTS);
        }
        return PolicyNet.of(config, prefix, Safetensors.read(file), PREFIX);
    }

    private static String shortly(String fingerprint) {
        return fingerprint.substring(0, Math.min(12, fingerprint.length()));
    }
}
