package dev.infuse.inject.nmg;

import dev.infuse.mask.TokenInstance;
import dev.infuse.model.BertModel;
import dev.infuse.train.ModelMasking;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Masks with a policy: per text, k = max(1, ⌊rate·length⌋) tokens, the k most probable at use, or drawn without
 * replacement while the policy learns. A learning masking keeps every choice it made ({@link #choices}), with the
 * state it saw and how probable each token was, for crediting and replay.
 */
public final class NmgMasking implements ModelMasking {
    /** One text's choice: the state, the tokens chosen, and log π of every token at the time. */
    public record Choice(float[] state, int hidden, boolean[] maskable, int[] positions, float[] logProbs) {
        public boolean[] flags() {
            return Actions.flags(positions, maskable.length);
        }
    }

    private final PolicyNet net;
    private final boolean sample;
    private final boolean owns;
    private final List<Choice> choices = new ArrayList<>();

    private NmgMasking(PolicyNet net, boolean sample, boolean owns) {
        this.net = net;
        this.sample = sample;
        this.owns = owns;
    }

    /** Top-k, deterministic: what {@code pretrain --masking nmg:DIR} uses. Closing it closes the net. */
    public static NmgMasking atUse(PolicyNet net) {
        return new NmgMasking(net, false, true);
    }

    /** Draws without replacement and keeps every choice; the caller keeps the net. */
    public static NmgMasking learning(PolicyNet net) {
        return new NmgMasking(net, true, false);
    }

    @Override
    public String name() {
        return "nmg";
    }

    @Override
    public List<boolean[]> choose(BertModel model, List<TokenInstance> instances, List<Random> rngs) {
        PolicyReading r = PolicyReading.of(model, net, instances);
        List<boolean[]> out = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            int k = net.config().k(r.maskableCount(i));
            int[] pos = sample ? Actions.sample(r.logProbs()[i], r.maskable()[i], k, rngs.get(i))
                    : Actions.topK(r.logProbs()[i], r.maskable()[i], k);
            if (sample) {
                choices.add(new Choice(r.states()[i], r.hidden(), r.maskable()[i], pos, r.logProbs()[i]));
            }
            out.add(Actions.flags(pos, instances.get(i).size()));
        }
        return out;
    }

    /** The choices so far, in the order the texts came. */
    public List<Choice> choices() {
        return choices;
    }

    @Override
    public void close() {
        if (owns) {
            net.close();
        }
    }
}
