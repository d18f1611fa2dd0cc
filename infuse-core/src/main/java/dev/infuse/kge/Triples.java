package dev.infuse.kge;

/** Triples as dictionary rows, in three parallel arrays. */
public record Triples(int[] heads, int[] relations, int[] tails) {
    public Triples {
        if (heads.length != relations.length || heads.length != tails.length) {
            throw new IllegalArgumentException("triples of unequal parts: " + heads.length + ", " + relations.length + ", " + tails.length);
        }
    }

    public int size() {
        return heads.length;
    }

    /** All of {@code parts} in one set, in order. */
    public static Triples concat(Triples... parts) {
        int n = 0;
        for (Triples p : parts) {
            n += p.size();
        }
        int[] h = new int[n];
        int[] r = new int[n];
        int[] t = new int[n];
        int at = 0;
        for (Triples p : parts) {
            System.arraycopy(p.heads, 0, h, at, p.size());
            System.arraycopy(p.relations, 0, r, at, p.size());
            System.arraycopy(p.tails, 0, t, at, p.size());
            at += p.size();
        }
        return new Triples(h, r, t);
    }
}
