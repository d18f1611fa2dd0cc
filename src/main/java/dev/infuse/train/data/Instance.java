package dev.infuse.train.data;

import dev.infuse.mask.TokenInstance;

/** One training sequence with the numbers that seed its masks. */
public record Instance(long epoch, long index, TokenInstance tokens) {}
