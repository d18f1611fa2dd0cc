package dev.infuse.bench;

/** One number the comparison measured. bucket is "all", "rare", "frequent" (or another bucket name found in the data). */
public record Measurement(String method, String task, String metric, String bucket, long seed, double value) {}
