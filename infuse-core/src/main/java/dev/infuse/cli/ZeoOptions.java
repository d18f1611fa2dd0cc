package dev.infuse.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** ZEO's option groups, shared by {@code pretrain --method zeo}, {@code zeo run} and {@code zeo instances}. */
final class ZeoOptions {
    private ZeoOptions() {}

    /** What the training windows hold: template sentences and negatives per linked mention. */
    static final class Instances {
        @Option(names = "--templates", paramLabel = "FILE",
                description = "ZEO: template pool turning the bundle's types and triples into extra sentences.")
        Path templates;

        @Range(min = 1)
        @Option(names = "--neg-entity", paramLabel = "N", defaultValue = "1",
                description = "ZEO: negatives of another type per linked mention (default ${DEFAULT-VALUE}).")
        int negEntity;
    }

    /** Which terms the joint loss has, and their weight. */
    static final class Loss {
        @Range(min = 0, max = 2)
        @Option(names = "--inject", defaultValue = "2",
                description = "ZEO: 0 = MLM only, 1 = triplet only, 2 = MLM + W * triplet (default ${DEFAULT-VALUE}).")
        int inject;

        @Option(names = "--contrastive-weight", paramLabel = "W", defaultValue = "1.0",
                description = "ZEO: W of inject 2 (default ${DEFAULT-VALUE}).")
        float weight;
    }
}
