package dev.infuse.inject.nmg;

import dev.infuse.mask.TokenInstance;
import dev.infuse.model.BertModel;
import dev.infuse.train.ModelMasking;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The random agent: as many tokens as the policy masks (k = max(1, ⌊rate·length⌋)), uniformly, so a policy
 * that wins against it wins by where it masks, not how much. Keeps its choices for crediting.
 */
final class RandomAgentMasking implements ModelMasking {
    private final PolicyConfig config;
    private final List<boolean[]> chosen = new ArrayList<>();

    RandomAgentMasking(PolicyConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "random";
    }

    @Override
    public List<boolean[]> choose(BertModel model, List<TokenInstance> instances, List<Random> rngs) {
        List<boolean[]> out = new ArrayList<>();
        for (int i = 0; i < instances.size(); i++) {
            TokenInstance in = instances.get(i);
            boolean[] maskable = new boolean[in.size()];
            for (int t = 0; t < maskable.length; t++) {
                maskable[t] = !in.special()[t];
            }
            boolean[] f = Actions.flags(Actions.uniform(maskable, config.k(in.maskable()), rngs.get(i)), in.size());
            chosen.add(f);
            out.add(f);
        }
        return out;
    }

    List<boolean[]> chosen() {
        return chosen;
    }
}
