package dev.infuse.kge;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.infuse.engine.Tensors;

/**
 * The score functions, each as a distance d(h, r, t) that is small for a plausible triple (DistMult's is its
 * negated score). A query fixes two parts of a triple ((h, r, ?) or (?, r, t)) and is turned into one vector q,
 * so every model ranks candidates c by a distance between q and c:
 *
 * <pre>
 *   TransE    q = h + r       or  t - r            d = ||q - c||_1 or ||q - c||_2
 *   DistMult  q = h * r       or  r * t            d = -q.c
 *   RotatE    q = h o e^{i th} or t o e^{-i th}    d = sum_k |q_k - c_k|   (complex; |e^{i th}| = 1, so
 *             |h o e^{i th} - t| = |h - t o e^{-i th}|)
 * </pre>
 *
 * Two ways to compute it. {@link #distances} scores a query against many candidates and takes the cheapest form
 * the model allows: DistMult and TransE-L2 as one (batched) matrix product, TransE-L2 through
 * ||q - c||^2 = ||q||^2 + ||c||^2 - 2 q.c, so no (B, N, D) difference is ever made; TransE-L1 and RotatE have no
 * such form (a sum of absolute values or of moduli does not factor) and broadcast q against every candidate.
 * {@link #pairwise} scores a query against one candidate in the exact form: the expansion above loses digits
 * exactly where a true triple wants to be, near 0.
 */
public sealed interface Scoring {
    /** q (B, 1, De) from the fixed entity (B, 1, De) and the relation (B, 1, Dr). */
    NDArray query(NDArray fixed, NDArray relation, boolean corruptHead);

    /** d between each query (B, 1, De) and candidates (B, N, De) of its own or (1, N, De) shared by all: (B, N). */
    NDArray distances(NDArray q, NDArray candidates);

    /** d between each query (B, 1, De) and one candidate each (B, 1, De): (B, 1), finite gradient even at d = 0. */
    NDArray pairwise(NDArray q, NDArray candidate);

    /** Whether {@link #distances} makes a (B, N, De) tensor, which bounds how many queries fit in one evaluation batch. */
    boolean broadcasts();

    static Scoring of(KgeConfig c) {
        return switch (c.model()) {
            case TRANSE -> new TransE(c.norm() == 1);
            case DISTMULT -> new DistMult();
            case ROTATE -> new RotatE((float) (Math.PI / c.initRange()));
        };
    }

    /** sqrt(max(x, tiny)): the clamp gives 0 a zero gradient instead of 0/0. */
    private static NDArray safeSqrt(NDArray x) {
        try (NDArray tiny = Tensors.scalar(x.getManager(), 1e-30f)) {
            return x.maximum(tiny).sqrt();
        }
    }

    /**
     * q . c for every pair, (B, N). Candidates shared by the batch (1, N, D), as in training and evaluation, make it one
     * (B, D) x (D, N) matrix product; candidates of each query's own (B, N, D) a batched one.
     */
    private static NDArray dots(NDArray q, NDArray candidates) {
        long b = q.getShape().get(0);
        long n = candidates.getShape().get(1);
        long d = q.getShape().get(2);
        if (candidates.getShape().get(0) == 1) {
            return q.reshape(b, d).matMul(candidates.reshape(n, d).transpose()); // (B, D) x (D, N)
        }
        return q.matMul(candidates.transpose(0, 2, 1)).squeeze(1); // (B, 1, D) x (B, D, N) -> (B, N)
    }

    record TransE(boolean l1) implements Scoring {
        @Override
        public boolean broadcasts() {
            return l1;
        }

        @Override
        public NDArray query(NDArray fixed, NDArray relation, boolean corruptHead) {
            return corruptHead ? fixed.sub(relation) : fixed.add(relation); // t - r or h + r
        }

        @Override
        public NDArray distances(NDArray q, NDArray c) {
            if (l1) {
                return q.sub(c).abs().sum(new int[] {2}); // (B, N, D) -> (B, N): broadcast, no product form
            }
            NDArray qq = q.square().sum(new int[] {2}); // (B, 1)
            NDArray cc = c.square().sum(new int[] {2}); // (B|1, N)
            NDArray qc = dots(q, c); // (B, N)
            return safeSqrt(qq.add(cc).sub(Tensors.scale(qc, 2f))); // (B, N)
        }

        @Override
        public NDArray pairwise(NDArray q, NDArray c) {
            NDArray diff = q.sub(c); // (B, 1, D)
            return l1 ? diff.abs().sum(new int[] {2}) : safeSqrt(diff.square().sum(new int[] {2})); // (B, 1)
        }
    }

    record DistMult() implements Scoring {
        @Override
        public boolean broadcasts() {
            return false;
        }

        @Override
        public NDArray query(NDArray fixed, NDArray relation, boolean corruptHead) {
            return fixed.mul(relation); // h * r, or t * r: the trilinear product is symmetric in h and t
        }

        @Override
        public NDArray distances(NDArray q, NDArray c) {
            return dots(q, c).neg(); // (B, N): one matrix product
        }

        @Override
        public NDArray pairwise(NDArray q, NDArray c) {
            return q.mul(c).sum(new int[] {2}).neg(); // (B, 1)
        }
    }

    /**
     * Entities are complex vectors of K = De / 2 numbers stored as [real parts | imaginary parts]; a relation is K
     * phases, its raw value times pi / initRange, so the uniform initialisation spreads phases over [-pi, pi] (Sun
     * et al. 2019, and their reference code).
     */
    record RotatE(float phaseScale) implements Scoring {
        @Override
        public boolean broadcasts() {
            return true;
        }

        @Override
        public NDArray query(NDArray fixed, NDArray relation, boolean corruptHead) {
            NDList parts = fixed.split(2, 2);
            NDArray re = parts.get(0); // (B, 1, K)
            NDArray im = parts.get(1);
            NDArray phase = Tensors.scale(relation, phaseScale); // (B, 1, K)
            NDArray cos = phase.cos();
            NDArray sin = corruptHead ? phase.sin().neg() : phase.sin(); // rotate back by -theta for a head query
            NDArray qRe = re.mul(cos).sub(im.mul(sin));
            NDArray qIm = re.mul(sin).add(im.mul(cos));
            return qRe.concat(qIm, 2); // (B, 1, 2K)
        }

        @Override
        public NDArray distances(NDArray q, NDArray c) {
            return moduli(q, c).sum(new int[] {2}); // (B, N, K) -> (B, N): broadcast, no product form
        }

        @Override
        public NDArray pairwise(NDArray q, NDArray c) {
            return moduli(q, c).sum(new int[] {2}); // (B, 1)
        }

        /**
         * |q_k - c_k| for every pair, (B, N, K). Negatives need the clamp as much as true triples: a negative can be the
         * query's own fixed entity, and where a relation's phase is so small that cos = 1 and the rotation moves nothing
         * in float, q_k - c_k is exactly 0 and a bare sqrt's gradient is 0/0 (a WN18RR run died of it at step 16,262).
         */
        private static NDArray moduli(NDArray q, NDArray c) {
            NDList qs = q.split(2, 2);
            NDList cs = c.split(2, 2);
            NDArray dRe = qs.get(0).sub(cs.get(0)); // (B, N, K)
            NDArray dIm = qs.get(1).sub(cs.get(1));
            return safeSqrt(dRe.square().add(dIm.square()));
        }
    }
}
