package dev.infuse.cli;

import dev.infuse.bench.EngineBench;
import dev.infuse.bench.ProfileSummary;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "engine", description = "Matmul peak, BERT-base forward and training throughput, peak RSS.")
final class BenchEngineCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;

    @Mixin
    JsonOption json;

    @Range(min = 1)
    @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats per measurement (median; default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--profile", paramLabel = "FILE",
            description = "Write PyTorch's profile of the timed training steps (a Chrome trace) to FILE and print the operators that took the most time.")
    Path profile;

    @Override
    public Integer call() {
        if (profile != null) {
            OutputFiles.requireWritable("--profile", profile);
        }
        EngineBench.Result r = EngineBench.run(Math.max(1, repeats), profile, msg -> System.err.println(msg));
        if (json.requested) {
            Json.print(r.fields());
        } else {
            EngineBench.Train t = r.train();
            System.out.printf("threads                      %d%n", r.threads());
            System.out.printf("precision                    %s%n", r.precision().label());
            System.out.printf("%s matmul peak             %.1f GFLOP/s%n", r.precision().label(), r.matmulPeakGflops());
            System.out.printf("forward B=8  T=128           %.0f tokens/s  %.1f GFLOP/s  %.2f of peak%n",
                    r.forwardB8T128TokensPerS(), r.forwardB8T128Gflops(), r.forwardB8T128OfPeak());
            System.out.printf("forward B=64 T=64            %.0f tokens/s  %.1f GFLOP/s  %.2f of peak%n",
                    r.forwardB64T64TokensPerS(), r.forwardB64T64Gflops(), r.forwardB64T64OfPeak());
            System.out.printf("train step B=8 T=128 (AdamW) %.0f tokens/s  %.2f s/step, median of %d (%.2f to %.2f)%n",
                    r.trainB8T128TokensPerS(), t.median(), t.steps(), t.min(), t.max());
            System.out.printf("  forward %.2f s  backward %.2f s  clip + AdamW %.2f s  (medians)%n", t.forward(), t.backward(), t.update());
            System.out.printf("peak RSS                     %.0f MB (training step alone: %.0f MB)%n", r.peakRssMb(), t.peakRssMb());
            if (r.agreement() != null) {
                System.out.printf("agreement with fp32          cosine %.6f, lowest token %.6f (forward B=8 T=128)%n",
                        r.agreement().cosine(), r.agreement().minTokenCosine());
                System.out.printf("forward B=8 T=128 vs fp32    %.2fx as fast (the two timed in turn)%n", r.agreement().forwardSpeedup());
            }
        }
        if (profile != null) {
            System.err.printf("%nprofile of %d training steps in %s; operators by self time:%n", r.train().steps(), profile);
            for (ProfileSummary.Row row : ProfileSummary.read(profile).stream().limit(15).toList()) {
                System.err.printf("  %-40s %9.0f ms  %6d calls%n", row.op(), row.selfMs(), row.calls());
            }
        }
        return 0;
    }
}
