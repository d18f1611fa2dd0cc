package dev.infuse.model.tf;

import dev.infuse.InfuseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Locates a tensor bundle inside the folder layouts people actually download. */
final class CheckpointFolder {
    /** TF's {@code checkpoint} text file: {@code model_checkpoint_path: "model.ckpt-1000"}. */
    private static final Pattern LATEST = Pattern.compile("^model_checkpoint_path:\\s*\"([^\"]+)\"", Pattern.MULTILINE);

    private CheckpointFolder() {}

    static Path findPrefix(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InfuseException("checkpoint folder " + dir + " does not exist or is not a folder");
        }
        for (String fixed : new String[] {"bert_model.ckpt", "variables/variables", "variables"}) {
            Path prefix = dir.resolve(fixed);
            if (Files.isRegularFile(TensorBundleReader.sibling(prefix, ".index"))) {
                return prefix;
            }
        }
        List<String> ckpts;
        try (Stream<Path> files = Files.list(dir)) {
            ckpts = files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".index") && f.contains(".ckpt"))
                    .map(f -> f.substring(0, f.length() - ".index".length()))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new InfuseException("cannot list checkpoint folder " + dir + ": " + e.getMessage(), e);
        }
        if (ckpts.size() == 1) {
            return dir.resolve(ckpts.get(0));
        }
        if (ckpts.size() > 1) {
            Path latest = latestFromCheckpointFile(dir);
            if (latest != null && ckpts.contains(latest.getFileName().toString())) {
                return latest;
            }
            throw new InfuseException("checkpoint folder " + dir + " holds " + ckpts.size() + " checkpoints " + ckpts
                    + " and no 'checkpoint' file naming one of them; pass the prefix, e.g. " + dir.resolve(ckpts.get(0)));
        }
        throw new InfuseException("no TensorFlow checkpoint in " + dir + ": expected bert_model.ckpt.index, "
                + "variables/variables.index, variables.index or one *.ckpt*.index");
    }

    private static Path latestFromCheckpointFile(Path dir) {
        Path file = dir.resolve("checkpoint");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            Matcher m = LATEST.matcher(Files.readString(file, StandardCharsets.UTF_8));
            // TF may write absolute paths; only the file name matters beside this folder.
            return m.find() ? dir.resolve(Path.of(m.group(1)).getFileName()) : null;
        } catch (IOException e) {
            throw new InfuseException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
