package dev.infuse.cli;

import dev.infuse.domain.DomainBundle;
import dev.infuse.engine.Engines;
import dev.infuse.inject.pelt.PeltBench;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "pelt", description = "PELT's reference recipe against infuse's, on the same occurrences, in one run.")
final class BenchPeltCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Mixin
    ModelOption model;

    @Option(names = "--domain", paramLabel = "DIR", description = "Domain bundle (default: the bundled FOLDOC).")
    Path domain;

    @Range(min = 1)
    @Option(names = "--occurrences", defaultValue = "1024", description = "Mention windows to embed (default ${DEFAULT-VALUE}).")
    int occurrences;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        Path dir = domain != null ? domain
                : Path.of(System.getProperty("infuse.repo", ".")).resolve("data/foldoc/bundle");
        try (MaskedLm lm = MaskedLm.load(model.name)) {
            PeltBench.Result r = PeltBench.run(lm,
                    DomainBundle.open(dir), occurrences, 64, System.err::println);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("occurrences", r.occurrences());
            o.put("entities", r.entities());
            o.put("mean_window_tokens", round(r.meanTokens()));
            o.put("reference_occurrences_per_s", round(r.referencePerS()));
            o.put("infuse_occurrences_per_s", round(r.infusePerS()));
            o.put("speedup", round(r.speedup()));
            o.put("min_entity_cosine", r.minCosine());
            o.put("threads", Engines.threads());
            o.put("precision", r.precision().label());
            if (r.fp32() != null) {
                o.put("fp32_infuse_occurrences_per_s", round(r.fp32().infusePerS()));
                o.put("speedup_over_fp32", round(r.infusePerS() / r.fp32().infusePerS()));
                o.put("min_entity_cosine_to_fp32", r.fp32().minCosineToFp32());
            }
            if (json.requested) {
                Json.print(o);
            } else {
                o.forEach((k, v) -> System.out.printf("%-28s %s%n", k, v));
            }
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
