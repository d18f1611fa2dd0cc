package dev.infuse.inject.pelt;

import dev.infuse.InfuseException;
import java.util.Set;

/**
 * Settings of a PELT table build.
 *
 * @param maxOccurrences at most this many mentions per entity (the reference uses 256), sampled with the seed
 * @param maxSeqLength window length including [CLS] and [SEP] (the reference uses 64)
 * @param entities ids or types to build rows for; empty means every entity
 * @param batchSize windows per forward pass
 * @param chunkSize occurrences per unit of work: sorted by length inside, checkpointed between
 * @param checkpointSeconds write the resumable state after a chunk when this much time has passed
 */
public record PeltOptions(int maxOccurrences, int maxSeqLength, Set<String> entities, long seed, int batchSize, int chunkSize,
        double checkpointSeconds) {
    public PeltOptions {
        if (maxOccurrences < 1) {
            throw new InfuseException("--max-occurrences must be at least 1, got " + maxOccurrences);
        }
        if (maxSeqLength < 3) {
            throw new InfuseException("--max-seq-length must be at least 3 (CLS, mask, SEP), got " + maxSeqLength);
        }
        if (batchSize < 1 || chunkSize < batchSize) {
            throw new InfuseException("batch size must be at least 1 and at most the chunk size, got " + batchSize + " and " + chunkSize);
        }
        entities = Set.copyOf(entities);
    }

    public static PeltOptions defaults() {
        return new PeltOptions(256, 64, Set.of(), 42, 64, 2048, 30);
    }

    public PeltOptions withEntities(Set<String> selection) {
        return new PeltOptions(maxOccurrences, maxSeqLength, selection, seed, batchSize, chunkSize, checkpointSeconds);
    }

    /**
     * Every setting that changes a byte of the table; a partial build resumes only if these match. The batch size
     * is one: windows are padded to their batch's longest, and the padded matrix products round differently.
     */
    public String key() {
        return "max-occurrences=" + maxOccurrences + "|max-seq-length=" + maxSeqLength + "|entities=" + new java.util.TreeSet<>(entities)
                + "|seed=" + seed + "|chunk=" + chunkSize + "|batch-size=" + batchSize;
    }
}
