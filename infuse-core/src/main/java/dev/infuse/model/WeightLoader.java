package dev.infuse.model;

import dev.infuse.InfuseException;
import dev.infuse.model.io.HostTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a checkpoint's tensors to the model's {@link ParameterSpec}s by name, the way Hugging Face does:
 * loading is a lookup, and what does not fit is reported by name.
 *
 * <p>Names are normalised first: TF-era {@code gamma}/{@code beta} become {@code weight}/{@code bias}, a
 * bare {@code embeddings.*} (a checkpoint saved from the encoder alone) gets the family prefix, a
 * decoder bias stands in for the head bias, and the tied decoder weight and {@code position_ids} buffers
 * are dropped because the model derives them.
 */
public final class WeightLoader {
    private WeightLoader() {}

    /** What loading found: tensors the model uses, plus the names that did not fit. */
    public record Report(Map<String, HostTensor> matched, List<String> missing, List<String> unexpected,
            List<String> misShaped, List<String> optionalMissing) {

        public boolean ok() {
            return missing.isEmpty() && misShaped.isEmpty();
        }

        /** One line naming every problem; unexpected names are informational. */
        public String problems() {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) {
                parts.add("missing " + missing.size() + " weights: " + abbreviate(missing));
            }
            if (!misShaped.isEmpty()) {
                parts.add("mis-shaped weights: " + abbreviate(misShaped));
            }
            return String.join("; ", parts);
        }
    }

    public static Report match(BertConfig config, Map<String, HostTensor> tensors) {
        Map<String, HostTensor> byName = normalise(config, tensors);
        Map<String, HostTensor> matched = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        List<String> optionalMissing = new ArrayList<>();
        for (ParameterSpec spec : ParameterSpec.of(config)) {
            HostTensor t = byName.remove(spec.name());
            if (t == null) {
                (spec.optional() ? optionalMissing : missing).add(spec.name());
            } else if (!Arrays.equals(t.shape(), spec.shape())) {
                misShaped.add(spec.name() + " is " + t.shapeString() + ", expected " + Arrays.toString(spec.shape()));
            } else {
                matched.put(spec.name(), t);
            }
        }
        return new Report(matched, missing, new ArrayList<>(byName.keySet()), misShaped, optionalMissing);
    }

    /**
     * Matches and fails with one line naming every missing or mis-shaped weight. Unused weights only warn,
     * as in Hugging Face: usually a head this model does not have.
     */
    public static Report matchOrThrow(BertConfig config, Map<String, HostTensor> tensors, String source) {
        Report r = match(config, tensors);
        if (!r.ok()) {
            throw new InfuseException(source + ": " + r.problems());
        }
        if (!r.unexpected().isEmpty()) {
            System.err.println("infuse: warning: " + source + " has " + r.unexpected().size() + " weights the model does not use: "
                    + abbreviate(r.unexpected()));
        }
        return r;
    }

    private static Map<String, HostTensor> normalise(BertConfig config, Map<String, HostTensor> tensors) {
        String prefix = ParameterSpec.prefix(config);
        ParameterSpec.HeadNames head = ParameterSpec.HeadNames.of(config);
        Map<String, HostTensor> out = new LinkedHashMap<>();
        HostTensor decoderBias = null;
        for (Map.Entry<String, HostTensor> e : tensors.entrySet()) {
            String n = e.getKey();
            if (n.endsWith(".gamma")) {
                n = n.substring(0, n.length() - 6) + ".weight";
            } else if (n.endsWith(".beta")) {
                n = n.substring(0, n.length() - 5) + ".bias";
            }
            if (n.startsWith("embeddings.") || n.startsWith("encoder.") || n.startsWith("pooler.")) {
                n = prefix + n;
            }
            if (n.endsWith("position_ids") || n.equals(head.decoder() + ".weight")) {
                continue;
            }
            if (n.equals(head.decoder() + ".bias")) {
                decoderBias = e.getValue();
                continue;
            }
            out.put(n, e.getValue());
        }
        if (decoderBias != null) {
            out.putIfAbsent(head.bias(), decoderBias);
        }
        return out;
    }

    private static String abbreviate(List<String> names) {
        if (names.size() <= 6) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 6)) + " and " + (names.size() - 6) + " more";
    }
}
