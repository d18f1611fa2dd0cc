package dev.infuse.kge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.infuse.engine.Engines;
import dev.infuse.engine.Tensors;
import org.junit.jupiter.api.Test;

/** Each score function and the loss against values worked out by hand (in the comments). */
class KgeScoringTest {
    // h = (1, 2), r = (0.5, -1), t = (2, 0); candidates c1 = (0, 0), c2 = (3, -1)
    static final float[] H = {1, 2};
    static final float[] R = {0.5f, -1};
    static final float[] T = {2, 0};
    static final float[] CANDS = {0, 0, 3, -1};

    /** [pairwise d(h, r, t) by tail query, by head query, d to c1, d to c2] under {@code f}. */
    static float[] distances(Scoring f, float[] h, float[] r, float[] t, float[] cands, int dim, int relDim) {
        try (NDManager m = Engines.newManager()) {
            NDArray hh = Tensors.copyOf(m, h, new Shape(1, 1, dim));
            NDArray rr = Tensors.copyOf(m, r, new Shape(1, 1, relDim));
            NDArray tt = Tensors.copyOf(m, t, new Shape(1, 1, dim));
            NDArray cc = Tensors.copyOf(m, cands, new Shape(1, 2, dim));
            NDArray qTail = f.query(hh, rr, false);
            NDArray qHead = f.query(tt, rr, true);
            float[] neg = f.distances(qTail, cc).toFloatArray(); // (1, 2)
            return new float[] {f.pairwise(qTail, tt).getFloat(), f.pairwise(qHead, hh).getFloat(), neg[0], neg[1]};
        }
    }

    @Test
    void transEL1() {
        // q = h + r = (1.5, 1): |1.5-2| + |1-0| = 1.5; to c1 2.5; to c2 1.5 + 2 = 3.5. Head query t - r = (1.5, 1) to h: 0.5 + 1.
        assertArrayEquals(new float[] {1.5f, 1.5f, 2.5f, 3.5f}, distances(new Scoring.TransE(true), H, R, T, CANDS, 2, 2), 1e-6f);
    }

    @Test
    void transEL2ByTheMatrixProductAgreesWithTheDirectForm() {
        // sqrt(0.25 + 1) = 1.1180340; to c1 sqrt(2.25 + 1) = 1.8027756; to c2 sqrt(2.25 + 4) = 2.5
        assertArrayEquals(new float[] {1.1180340f, 1.1180340f, 1.8027756f, 2.5f}, distances(new Scoring.TransE(false), H, R, T, CANDS, 2, 2),
                1e-5f);
    }

    @Test
    void transEL2sMatrixFormHasTheGradientOfTheDistance() {
        // d(q, c) = ||q - c||, so dd/dc = (c - q) / d: for q = (1.5, 1), c2 = (3, -1), d = 2.5: (0.6, -0.8); c1 = (0, 0): (-1.5, -1) / 1.8027756.
        try (NDManager m = Engines.newManager()) {
            NDArray q = Tensors.copyOf(m, new float[] {1.5f, 1f}, new Shape(1, 1, 2));
            NDArray c = Tensors.copyOf(m, CANDS, new Shape(1, 2, 2));
            c.setRequiresGradient(true);
            try (NDManager s = m.newSubManager(); GradientCollector gc = Engines.get().newGradientCollector()) {
                NDArray d = new Scoring.TransE(false).distances(q, c).sum();
                System.gc();
                gc.backward(d);
            }
            Tensors.noGrad();
            assertArrayEquals(new float[] {-1.5f / 1.8027756f, -1f / 1.8027756f, 0.6f, -0.8f}, c.getGradient().toFloatArray(), 1e-5f);
        }
    }

    @Test
    void distMult() {
        // <h, r, t> = 1*0.5*2 + 2*(-1)*0 = 1, so d = -1; q = h*r = (0.5, -2): to c1 0, to c2 -(1.5 + 2) = -3.5
        assertArrayEquals(new float[] {-1f, -1f, 0f, -3.5f}, distances(new Scoring.DistMult(), H, R, T, CANDS, 2, 2), 1e-6f);
    }

    @Test
    void rotatE() {
        // K = 2, stored [re | im]. h = (1, 2i), phases (pi/2, pi) with a phase scale of 1, t = (3 + i, 1 - 2i).
        // h o e^{i th} = (i, -2i); d = |i - 3 - i| + |-2i - 1 + 2i| = 3 + 1 = 4.
        // Head query t o e^{-i th} = ((3 + i)(-i), (1 - 2i)(-1)) = (1 - 3i, -1 + 2i); to h: 3 + 1 = 4.
        // c1 = 0: |i| + |-2i| = 3. c2 = (3 + 5i, -2i): |-3 - 4i| + 0 = 5.
        float[] h = {1, 0, 0, 2};
        float[] r = {(float) (Math.PI / 2), (float) Math.PI};
        float[] t = {3, 1, 1, -2};
        float[] cands = {0, 0, 0, 0, 3, 0, 5, -2};
        assertArrayEquals(new float[] {4f, 4f, 3f, 5f}, distances(new Scoring.RotatE(1f), h, r, t, cands, 4, 2), 1e-5f);
    }

    @Test
    void rotatEsGradientIsFiniteWhereANegativeIsTheQuerysOwnEntityUnderAZeroPhase() {
        // h = (1 + 2i, 3 - i), phases (0, pi/2): the first component does not turn, so the negative c = h gives
        // q_1 - c_1 = 0 exactly, and sqrt's gradient there would be 0/0. The clamp makes it 0 there; the second
        // component, i(3 - i) - (3 - i) = (1 + 3i) - (3 - i) = -2 + 4i, has gradient (dRe, dIm) / |.| = (-2, 4) / sqrt(20).
        try (NDManager m = Engines.newManager()) {
            NDArray h = Tensors.copyOf(m, new float[] {1, 3, 2, -1}, new Shape(1, 1, 4));
            NDArray r = Tensors.copyOf(m, new float[] {0, (float) (Math.PI / 2)}, new Shape(1, 1, 2));
            NDArray c = Tensors.copyOf(m, new float[] {1, 3, 2, -1}, new Shape(1, 1, 4));
            c.setRequiresGradient(true);
            float d;
            try (NDManager s = m.newSubManager(); GradientCollector gc = Engines.get().newGradientCollector()) {
                Scoring f = new Scoring.RotatE(1f);
                NDArray dist = f.distances(f.query(h, r, false), c).sum();
                d = dist.getFloat();
                gc.backward(dist);
            }
            Tensors.noGrad();
            assertEquals((float) Math.sqrt(20), d, 1e-5f);
            float[] g = c.getGradient().toFloatArray(); // [re_1, re_2, im_1, im_2]; dd/dc = -(q - c) / |q - c|
            assertArrayEquals(new float[] {0f, (float) (2 / Math.sqrt(20)), 0f, (float) (-4 / Math.sqrt(20))}, g, 1e-5f);
        }
    }

    @Test
    void rotatEReadsPhasesInUnitsOfTheInitialisationRange() {
        KgeConfig c = new KgeConfig(KgeConfig.Model.ROTATE, 0, 2, 6f, 0.016f);
        assertEquals((float) (Math.PI / 0.016), ((Scoring.RotatE) Scoring.of(c)).phaseScale(), 1e-3f);
        assertEquals(4, c.entityColumns(), "complex entities take two floats each");
        assertEquals(2, c.relationColumns());
    }

    @Test
    void lossWithUniformAndSelfAdversarialWeights() {
        // d+ = 1.5, d- = (2.5, 3.5), gamma 2: -log sigma(0.5) = 0.4740770; -log sigma(-0.5) = 0.4740770, -log sigma(-1.5) = 0.2014133.
        // Uniform: 0.4740770 + (0.4740770 + 0.2014133) / 2 = 0.8118221.
        // alpha 1: p = softmax(-0.5, -1.5) = (0.7310586, 0.2689414): 0.4740770 + 0.7310586 * 0.4740770 + 0.2689414 * 0.2014133 = 0.8748234.
        assertEquals(0.8118221f, tripleLoss(0f, null), 1e-6f);
        assertEquals(0.8748234f, tripleLoss(1f, null), 1e-6f);
    }

    @Test
    void aNegativeThatIsAKnownAnswerWeighsNothing() {
        // The second negative masked: under either weighting the first takes p = 1, 0.4740770 + 0.4740770.
        try (NDManager m = Engines.newManager()) {
            NDArray pos = Tensors.copyOf(m, new float[] {1.5f}, new Shape(1));
            NDArray neg = Tensors.copyOf(m, new float[] {2.5f, 3.5f}, new Shape(1, 2));
            NDArray mask = Tensors.copyOf(m, new float[] {0f, -1e30f}, new Shape(1, 2));
            assertEquals(0.9481540f, KgeLoss.tripleLoss(m, pos, neg, 2f, 0f, mask).getFloat(), 1e-6f);
            assertEquals(0.9481540f, KgeLoss.tripleLoss(m, pos, neg, 2f, 1f, mask).getFloat(), 1e-6f);
        }
    }

    @Test
    void selfAdversarialWeightsTakeNoGradient() {
        // With p held constant, dL/dd-_i = -p_i sigma(gamma - d-_i) = (-0.2760043, -0.0490618); dL/dd+ = sigma(d+ - gamma) = 0.3775407.
        // Were p differentiated, the gradients would differ.
        float[] grads = new float[3];
        tripleLoss(1f, grads);
        assertArrayEquals(new float[] {0.3775407f, -0.2760043f, -0.0490618f}, grads, 1e-6f);
        tripleLoss(0f, grads);
        assertArrayEquals(new float[] {0.3775407f, -0.1887703f, -0.0912128f}, grads, 1e-6f);
    }

    /** The loss of d+ = 1.5, d- = (2.5, 3.5) at gamma 2; fills {@code grads} (d+, d-1, d-2) when given. */
    static float tripleLoss(float alpha, float[] grads) {
        try (NDManager m = Engines.newManager()) {
            NDArray pos = Tensors.copyOf(m, new float[] {1.5f}, new Shape(1));
            NDArray neg = Tensors.copyOf(m, new float[] {2.5f, 3.5f}, new Shape(1, 2));
            pos.setRequiresGradient(true);
            neg.setRequiresGradient(true);
            float value;
            try (NDManager s = m.newSubManager(); GradientCollector gc = Engines.get().newGradientCollector()) {
                NDArray l = KgeLoss.tripleLoss(s, pos, neg, 2f, alpha, null).sum();
                value = l.getFloat();
                System.gc(); // a scalar freed under autograd (docs/DJL.md) would show up here as a wrong gradient
                gc.backward(l);
            }
            Tensors.noGrad();
            if (grads != null) {
                grads[0] = pos.getGradient().toFloatArray()[0];
                float[] g = neg.getGradient().toFloatArray();
                grads[1] = g[0];
                grads[2] = g[1];
            }
            return value;
        }
    }

    @Test
    void aBatchLossIsTheWeightedMeanOfItsTriples() {
        // TransE-L1 on the triple above with c1, c2 as its tail negatives, gamma 2, uniform: 0.8118221. A second triple
        // (t, r, h) has d+ = |2.5 - 1| + |-1 - 2| = 4.5 and the same negatives: d- = |2.5| + |1| = 3.5 and |0.5| + 0 = 0.5.
        KgeConfig c = new KgeConfig(KgeConfig.Model.TRANSE, 1, 2, 2f, 1f);
        float[] entities = {1, 2, 2, 0, 0, 0, 3, -1}; // rows h, t, c1, c2
        double second = softplus(4.5 - 2) + (softplus(2 - 3.5) + softplus(2 - 0.5)) / 2;
        try (KgeModel model = new KgeModel(c, entities, 4, R, 1); NDManager s = Engines.newManager()) {
            KgeBatch batch = new KgeBatch(new long[] {0, 1}, new long[] {0, 0}, new long[] {1, 0}, false, new long[] {2, 3}, new boolean[4],
                    new float[] {0.25f, 0.75f}, 1f);
            float loss = new KgeLoss(model, 0f, 0f).loss(s, batch, true).getFloat();
            assertEquals(0.25 * 0.8118221 + 0.75 * second, loss, 1e-5);
        }
    }

    static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }
}
