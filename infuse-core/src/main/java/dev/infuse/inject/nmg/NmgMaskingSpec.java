package dev.infuse.inject.nmg;

import dev.infuse.io.Provenance;
import dev.infuse.model.MaskedLm;
import dev.infuse.train.ModelMasking;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --masking nmg:DIR}: the trained policy in DIR masks every batch, top-k. */
public record NmgMaskingSpec(Path dir) implements ModelMasking.Spec {
    /** The policy's weights by hash, so a resume with a retrained policy in the same place is refused. */
    @Override
    public Map<String, Object> identity() {
        Path weights = dir.resolve(PolicyFiles.WEIGHTS);
        if (!java.nio.file.Files.isRegularFile(weights)) {
            throw new dev.infuse.InfuseException("NMG policy " + dir + " has no " + PolicyFiles.WEIGHTS
                    + "; expected the --output-dir of infuse nmg train");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nmg-policy-sha256", Provenance.sha256(weights));
        return m;
    }

    @Override
    public ModelMasking open(MaskedLm lm, boolean resumed, PrintStream log) {
        // A resumed run's model is its checkpoint's, no longer the base the policy was trained on; the hash above ties them.
        PolicyConfig c = PolicyFiles.config(dir, lm.model().config(), resumed ? null : lm.fingerprint());
        log.println("infuse: masking with the NMG policy in " + dir + ": the top max(1, floor(" + c.rate()
                + " x length)) tokens of each text, chosen from the model's states before each batch");
        return NmgMasking.atUse(PolicyFiles.load(dir, c, PolicyFiles.PREFIX));
    }
}
