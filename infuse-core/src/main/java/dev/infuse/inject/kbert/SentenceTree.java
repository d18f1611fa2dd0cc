package dev.infuse.inject.kbert;

import dev.infuse.text.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * K-BERT's sentence tree, flattened into one row: the sentence's tokens in order, and right after the last
 * token of each linked subject the word pieces of its branches (each branch: predicate pieces, then object
 * pieces).
 *
 * <p><b>Soft positions.</b> A sentence token keeps its place in the sentence ([CLS] is 0), as if no branch
 * had been inserted: the sentence resumes at subject end + 1. The k-th token of a branch (k from 0) hung on a
 * subject whose last token sits at sentence position q gets q + 1 + k; every branch of that subject counts
 * from q + 1 again. Positions therefore repeat.
 *
 * <p><b>Visible matrix</b> (row i says what token i attends to):
 * <ul>
 *   <li>a sentence token sees every sentence token, [CLS] and [SEP] included;</li>
 *   <li>a subject's own tokens also see that subject's branches, and no other token of the sentence sees any
 *       branch, so [CLS] sees only the sentence;</li>
 *   <li>a branch token sees the tokens of its own branch and of its subject, nothing else.</li>
 * </ul>
 * Without the matrix ({@code --kg-no-visible-matrix}, K-BERT's "knowledge noise" ablation) the positions stay
 * soft and every token sees every token.
 *
 * <p><b>Truncation.</b> Knowledge yields to text. While the tree is longer than {@code maxLen}, the last
 * branch of the latest subject that still has one is dropped; once no branch is left, the sentence itself is
 * cut the way the task layer cuts plain rows (its {@code Rows.cut}: the first {@code maxLen - 1} tokens and a
 * final [SEP]). {@link Cut} counts both.
 *
 * <p>Inserted tokens are marked in the returned {@link Encoding} by offsets of -1 (like [CLS]), word id -1
 * and {@code special == false}: task readers, which place targets by offsets into the original text, never put
 * a label on them, and predictions land on the sentence's own tokens. Segment ids are the sentence's for its
 * tokens and 0 for inserted ones.
 */
public final class SentenceTree {
    /**
     * A linked subject: sentence tokens {@code first..last} (inclusive) and the word pieces of each of its
     * branches, in the order they are inserted.
     */
    public record Anchor(int first, int last, List<int[]> branches) {
        public Anchor {
            branches = List.copyOf(branches);
        }
    }

    /** What truncation removed from one tree: whole branches, their tokens, and sentence tokens. */
    public record Cut(int branches, int branchTokens, int sentenceTokens) {
        public boolean any() {
            return branches > 0 || sentenceTokens > 0;
        }
    }

    /**
     * The tree as one row, before the sentence cut (which the task layer's {@code Rows.cut} applies).
     *
     * @param positions soft position ids, one per token
     * @param visibility the visible matrix, or null without it
     * @param inserted which tokens come from branches
     * @param branches branches that made it into the row; {@code insertedTokens} their tokens
     * @param sentenceIndex for each tree token, the index of the sentence token it is, or -1 for a branch token:
     *     what a plug-in that placed things on sentence tokens (PELT's slot vectors) needs to find them again
     */
    public record Tree(Encoding encoding, long[] positions, boolean[][] visibility, boolean[] inserted, int branches, int insertedTokens,
            Cut cut, int[] sentenceIndex) {}

    private SentenceTree() {}

    /**
     * Builds the tree of {@code sentence} (an encoding with [CLS] first and [SEP] last) with branches hung on
     * {@code anchors}, which must be in sentence order, not overlap, and not touch the first or last token.
     */
    public static Tree build(Encoding sentence, List<Anchor> anchors, int maxLen, boolean visibleMatrix) {
        int n = sentence.size();
        check(anchors, n);

        // Truncation: drop the last branch of the latest subject first until the tree fits.
        List<List<int[]>> kept = new ArrayList<>();
        int total = n;
        for (Anchor a : anchors) {
            kept.add(new ArrayList<>(a.branches()));
            for (int[] b : a.branches()) {
                total += b.length;
            }
        }
        int droppedBranches = 0;
        int droppedTokens = 0;
        for (int a = anchors.size() - 1; a >= 0 && total > maxLen; a--) {
            List<int[]> bs = kept.get(a);
            while (!bs.isEmpty() && total > maxLen) {
                int[] b = bs.remove(bs.size() - 1);
                total -= b.length;
                droppedBranches++;
                droppedTokens += b.length;
            }
        }
        Cut cut = new Cut(droppedBranches, droppedTokens, Math.max(0, n - maxLen));

        // Which subject each sentence token belongs to, and which subject ends at it.
        int[] subjectOf = new int[n];
        int[] endsSubject = new int[n];
        Arrays.fill(subjectOf, -1);
        Arrays.fill(endsSubject, -1);
        for (int a = 0; a < anchors.size(); a++) {
            Anchor x = anchors.get(a);
            Arrays.fill(subjectOf, x.first(), x.last() + 1, a);
            endsSubject[x.last()] = a;
        }

        // Lay the tree out: per slot, the sentence index (or -1) and the branch number (or -1).
        int[] ids = new int[total];
        long[] positions = new long[total];
        int[] sentenceIndex = new int[total];
        int[] branchOf = new int[total];
        List<Integer> branchSubject = new ArrayList<>();
        int slot = 0;
        for (int p = 0; p < n; p++) {
            ids[slot] = sentence.ids()[p];
            positions[slot] = p;
            sentenceIndex[slot] = p;
            branchOf[slot] = -1;
            slot++;
            int a = endsSubject[p];
            if (a < 0) {
                continue;
            }
            for (int[] branch : kept.get(a)) {
                int b = branchSubject.size();
                branchSubject.add(a);
                for (int k = 0; k < branch.length; k++) {
                    ids[slot] = branch[k];
                    positions[slot] = p + 1 + k;
                    sentenceIndex[slot] = -1;
                    branchOf[slot] = b;
                    slot++;
                }
            }
        }

        boolean[][] visibility = null;
        if (visibleMatrix) {
            visibility = new boolean[total][total];
            for (int i = 0; i < total; i++) {
                for (int j = 0; j < total; j++) {
                    visibility[i][j] = sees(i, j, sentenceIndex, branchOf, subjectOf, branchSubject);
                }
            }
        }
        return new Tree(encoding(sentence, ids, sentenceIndex), positions, visibility, inserted(branchOf), branchSubject.size(),
                total - n, cut, sentenceIndex);
    }

    /** Whether tree slot i may attend to slot j, by the rules in the class comment. */
    private static boolean sees(int i, int j, int[] sentenceIndex, int[] branchOf, int[] subjectOf, List<Integer> branchSubject) {
        if (branchOf[i] < 0) { // a sentence token
            return branchOf[j] < 0 || subjectOf[sentenceIndex[i]] == branchSubject.get(branchOf[j]);
        }
        if (branchOf[j] >= 0) { // a branch token looking at a branch token: only its own branch
            return branchOf[j] == branchOf[i];
        }
        return subjectOf[sentenceIndex[j]] == branchSubject.get(branchOf[i]);
    }

    private static boolean[] inserted(int[] branchOf) {
        boolean[] out = new boolean[branchOf.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = branchOf[i] >= 0;
        }
        return out;
    }

    private static Encoding encoding(Encoding s, int[] ids, int[] sentenceIndex) {
        int m = ids.length;
        int[] types = new int[m];
        int[] starts = new int[m];
        int[] ends = new int[m];
        boolean[] special = new boolean[m];
        int[] words = new int[m];
        for (int i = 0; i < m; i++) {
            int p = sentenceIndex[i];
            types[i] = p < 0 ? 0 : s.typeIds()[p];
            starts[i] = p < 0 ? -1 : s.starts()[p];
            ends[i] = p < 0 ? -1 : s.ends()[p];
            special[i] = p >= 0 && s.special()[p];
            words[i] = p < 0 ? -1 : s.wordIds()[p];
        }
        return new Encoding(ids, types, starts, ends, special, words);
    }

    private static void check(List<Anchor> anchors, int n) {
        int previous = 0;
        for (Anchor a : anchors) {
            if (a.first() <= previous || a.last() < a.first() || a.last() >= n - 1) {
                throw new IllegalArgumentException("subject tokens " + a.first() + ".." + a.last() + " overlap another subject, or [CLS] or "
                        + "[SEP], in a sentence of " + n + " tokens");
            }
            previous = a.last();
        }
    }
}
