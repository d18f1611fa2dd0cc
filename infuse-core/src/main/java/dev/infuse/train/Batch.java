package dev.infuse.train;

/** One micro-batch as the loop sees it: what it counts for metrics and throughput. */
public interface Batch {
    /** Real (non-padding) tokens the batch reads. */
    int tokens();

    /** Positions or targets the loss scores. */
    int predicted();
}
