package dev.infuse.bench;

/** Cosines between a reduced-precision output and its fp32 reference. */
public final class Agreements {
    private Agreements() {}

    /** Cosine of a[from, from+n) and b[from, from+n), accumulated in double; 1 when both are zero. */
    public static double cosine(float[] a, float[] b, int from, int n) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = from; i < from + n; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 && nb == 0 ? 1 : dot / Math.sqrt(na * nb);
    }

    static double round6(double v) {
        return Math.round(v * 1e6) / 1e6;
    }
}
