package dev.infuse.cli;

import dev.infuse.InfuseException;
import dev.infuse.inject.adapter.AdapterFiles;
import dev.infuse.inject.adapter.AdapterHubFiles;
import dev.infuse.inject.adapter.Lora;
import dev.infuse.inject.adapter.LoraMerge;
import dev.infuse.inject.adapter.PeftFiles;
import dev.infuse.io.Provenance;
import dev.infuse.model.MaskedLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code infuse adapter ...}: what to do with a trained adapter apart from running it. */
@Command(name = "adapter", description = "Work with trained adapters and LoRAs.", subcommands = AdapterCommand.Merge.class)
final class AdapterCommand extends GroupCommand {

    @Command(name = "merge", description = "Fold a LoRA (PEFT's adapter_config.json + adapter_model.safetensors in RUN) into its base model's weights and write a plain Hugging Face model directory.")
    static final class Merge implements Callable<Integer> {
        @Mixin
        EngineOptions engine;

        @Parameters(paramLabel = "RUN", description = "A directory holding adapter_config.json and adapter_model.safetensors.")
        Path run;

        @Option(names = "--output", required = true, paramLabel = "DIR", description = "The merged model's directory (new or empty).")
        Path output;

        @Option(names = "--base-model", paramLabel = "MODEL",
                description = "The model the LoRA was trained on (default: adapter_config.json's base_model_name_or_path).")
        String baseModel;

        @Mixin
        JsonOption json;

        @Override
        public Integer call() {
            if (!Files.isDirectory(run)) {
                throw new InfuseException("RUN " + run + " is not a directory");
            }
            if (!Files.isRegularFile(run.resolve(AdapterFiles.CONFIG))) {
                throw new InfuseException(run + " holds no " + AdapterFiles.CONFIG + "; train with --adapter lora first");
            }
            if (!PeftFiles.isLora(run)) {
                throw new InfuseException(run + " holds " + (AdapterHubFiles.isBottleneck(run) ? "a bottleneck adapter, which adds layers"
                        : "an adapter that is not a LoRA") + "; only a LoRA folds into the weights");
            }
            requireEmpty(output, run);
            String base = baseModel != null ? baseModel : PeftFiles.baseModel(run);
            if (base == null) {
                throw new InfuseException(run.resolve(AdapterFiles.CONFIG) + " names no base_model_name_or_path; pass --base-model");
            }
            try (MaskedLm lm = MaskedLm.load(base); Lora lora = PeftFiles.read(run, lm.model().config())) {
                LoraMerge.merge(lm.model(), lora);
                Provenance p = Provenance.of("model").input("base_model", base).input("lora", run.toString())
                        .input("lora_sha256", Provenance.sha256(run.resolve(PeftFiles.WEIGHTS)));
                lora.identity().forEach(p::setting);
                // The task head PEFT saved beside the LoRA (modules_to_save) goes into the model file under transformers' names.
                lm.save(output, p, lora.head(), new com.google.gson.JsonObject());
                if (json.requested) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("output", output.toString());
                    o.put("base_model", base);
                    o.put("merged_projections", lora.parameters().size() / 2);
                    Json.print(o);
                } else {
                    System.err.println("infuse: merged " + lora.parameters().size() / 2 + " projections of " + base + " into " + output);
                }
            }
            return 0;
        }

        private static void requireEmpty(Path out, Path run) {
            if (Files.isSymbolicLink(out) || (Files.exists(out) && !Files.isDirectory(out))) {
                throw new InfuseException("--output " + out + " is not a directory");
            }
            if (OutputFiles.sameFile(out, run)) {
                throw new InfuseException("--output " + out + " is RUN itself; choose another directory");
            }
            if (Files.isDirectory(out)) {
                try (var s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new InfuseException("--output " + out + " is not empty; choose a new or empty directory");
                    }
                } catch (IOException e) {
                    throw new InfuseException("cannot list --output " + out + ": " + e.getMessage());
                }
            }
        }
    }
}
