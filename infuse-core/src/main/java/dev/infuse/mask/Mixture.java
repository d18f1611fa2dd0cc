package dev.infuse.mask;

import java.util.List;
import java.util.Random;

/**
 * Several strategies, one drawn per instance by weight: e.g. half the instances entity-masked and half
 * whole-word masked, as ERNIE mixes its knowledge masking stages.
 */
public final class Mixture implements MaskingStrategy {
    /** @param weight relative share of instances; positive */
    public record Part(MaskingStrategy strategy, double weight) {
        public Part {
            if (!(weight > 0) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("mixture weight of " + strategy.name() + " must be positive and finite, found " + weight);
            }
        }
    }

    private final List<Part> parts;
    private final double total;

    public Mixture(List<Part> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a mixture needs at least one strategy");
        }
        this.parts = List.copyOf(parts);
        this.total = parts.stream().mapToDouble(Part::weight).sum();
    }

    public List<Part> parts() {
        return parts;
    }

    @Override
    public String name() {
        StringBuilder s = new StringBuilder();
        for (Part p : parts) {
            s.append(s.length() == 0 ? "" : ",").append(p.strategy().name()).append('=').append(p.weight());
        }
        return s.toString();
    }

    @Override
    public boolean usesEntities() {
        return parts.stream().anyMatch(p -> p.strategy().usesEntities());
    }

    @Override
    public boolean[] choose(TokenInstance in, int budget, Random rng) {
        double r = rng.nextDouble() * total;
        for (Part p : parts) {
            r -= p.weight();
            if (r < 0) {
                return p.strategy().choose(in, budget, rng);
            }
        }
        return parts.get(parts.size() - 1).strategy().choose(in, budget, rng);
    }
}
