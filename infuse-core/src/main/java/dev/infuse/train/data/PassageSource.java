package dev.infuse.train.data;

import java.util.Iterator;

/**
 * Where passages come from. Each {@link #open()} streams the corpus from its start, so memory does not
 * grow with the corpus and a resumed run can reach any passage by skipping.
 */
public interface PassageSource {
    /** A fresh pass over the corpus; the caller closes it. */
    Pass open();

    /** Names the corpus in messages. */
    String describe();

    /** A hash of the corpus content, for provenance and to refuse resuming on a changed corpus. */
    String sha256();

    /** Whether passages carry entity mentions (a plain text corpus has none). */
    default boolean hasMentions() {
        return false;
    }

    /** One pass: an iterator that holds a file open. */
    interface Pass extends Iterator<TextPassage>, AutoCloseable {
        @Override
        void close();
    }
}
