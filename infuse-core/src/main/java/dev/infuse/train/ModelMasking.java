package dev.infuse.train;

import dev.infuse.mask.TokenInstance;
import dev.infuse.model.BertModel;
import dev.infuse.model.MaskedLm;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A masking that must read the model before it chooses: a learned policy (NMG) looks at the encoder's states
 * of the unmasked text. A {@link dev.infuse.mask.MaskingStrategy} chooses from the tokens alone, before any
 * forward pass; this one is given the model being trained and a whole micro-batch, so it runs one extra
 * forward pass (without gradients) per batch. The chosen tokens then get the same 80/10/10 replacement as
 * every strategy ({@link dev.infuse.mask.Masker#apply}).
 */
public interface ModelMasking extends AutoCloseable {
    /** What the run's identity and logs call it. */
    String name();

    /**
     * @param rngs one generator per instance, seeded by (seed, epoch, index) as every mask is; the same
     *     generator then draws the replacements, so a resumed run masks exactly as the first one
     * @return per instance, true where the token is to be predicted; never a special token
     */
    List<boolean[]> choose(BertModel model, List<TokenInstance> instances, List<Random> rngs);

    @Override
    default void close() {}

    /** How a run gets its masking: identity before the model loads (a resume with another policy is refused), then open. */
    interface Spec {
        Map<String, Object> identity();

        /** @param resumed the model is a checkpoint's, no longer the one the masking was built for */
        ModelMasking open(MaskedLm lm, boolean resumed, PrintStream log);
    }
}
