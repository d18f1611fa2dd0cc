package dev.infuse.inject;

/**
 * A value a plug-in keeps in a row's extras that names token positions (ERNIE's entity alignments). A plug-in
 * that moves tokens (K-BERT's sentence tree) hands every such value the new order, so the positions still
 * point at the tokens they named.
 */
public interface TokenAligned {
    /**
     * The same value in a row whose token {@code i} was token {@code oldIndex[i]} of the row before, or -1 for a
     * token the mover inserted.
     */
    TokenAligned moved(int[] oldIndex);
}
