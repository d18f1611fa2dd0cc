package dev.infuse.mask;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Token masking that never touches an entity mention: WKLM keeps the mentions whole, since its own objective
 * asks whether each one was replaced, and a masked name would answer nothing.
 */
public final class OutsideEntityMasking implements MaskingStrategy {
    @Override
    public String name() {
        return "non-entity";
    }

    @Override
    public boolean[] choose(TokenInstance in, int budget, Random rng) {
        boolean[] inside = new boolean[in.size()];
        for (int[] s : in.entitySpans()) {
            for (int i = s[0]; i < s[1]; i++) {
                inside[i] = true;
            }
        }
        List<int[]> units = new ArrayList<>();
        for (int[] u : Units.tokens(in)) {
            if (!inside[u[0]]) {
                units.add(u);
            }
        }
        boolean[] chosen = new boolean[in.size()];
        Units.fill(chosen, units, budget, 0, rng);
        return chosen;
    }

    @Override
    public boolean usesEntities() {
        return true;
    }
}
