package dev.infuse.cli;

import dev.infuse.bench.EngineBench;
import java.util.LinkedHashMap;
import java.util.Map;
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

    @Option(names = "--repeats", defaultValue = "5", description = "Timed repeats per measurement (median; default ${DEFAULT-VALUE}).")
    int repeats;

    @Override
    public Integer call() {
        EngineBench.Result r = EngineBench.run(Math.max(1, repeats), msg -> System.err.println(msg));
        if (json.requested) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("threads", r.threads());
            o.put("matmul_peak_gflops", round(r.matmulPeakGflops()));
            o.put("forward_b8_t128_tokens_per_s", round(r.forwardB8T128TokensPerS()));
            o.put("forward_b8_t128_gflops", round(r.forwardB8T128Gflops()));
            o.put("forward_b8_t128_of_peak", round(r.forwardB8T128OfPeak()));
            o.put("forward_b64_t64_tokens_per_s", round(r.forwardB64T64TokensPerS()));
            o.put("forward_b64_t64_gflops", round(r.forwardB64T64Gflops()));
            o.put("forward_b64_t64_of_peak", round(r.forwardB64T64OfPeak()));
            o.put("train_b8_t128_tokens_per_s", round(r.trainB8T128TokensPerS()));
            o.put("train_b8_t128_seconds_per_step", round(r.trainB8T128SecondsPerStep()));
            o.put("peak_rss_mb", round(r.peakRssMb()));
            Json.print(o);
        } else {
            System.out.printf("threads                      %d%n", r.threads());
            System.out.printf("fp32 matmul peak             %.1f GFLOP/s%n", r.matmulPeakGflops());
            System.out.printf("forward B=8  T=128           %.0f tokens/s  %.1f GFLOP/s  %.2f of peak%n",
                    r.forwardB8T128TokensPerS(), r.forwardB8T128Gflops(), r.forwardB8T128OfPeak());
            System.out.printf("forward B=64 T=64            %.0f tokens/s  %.1f GFLOP/s  %.2f of peak%n",
                    r.forwardB64T64TokensPerS(), r.forwardB64T64Gflops(), r.forwardB64T64OfPeak());
            System.out.printf("train step B=8 T=128 (AdamW) %.0f tokens/s  %.2f s/step%n", r.trainB8T128TokensPerS(),
                    r.trainB8T128SecondsPerStep());
            System.out.printf("peak RSS                     %.0f MB%n", r.peakRssMb());
        }
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
