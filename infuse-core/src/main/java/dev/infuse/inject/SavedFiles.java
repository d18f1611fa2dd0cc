package dev.infuse.inject;

import com.google.gson.JsonObject;
import dev.infuse.InfuseException;
import dev.infuse.io.Provenance;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files a saved plug-in depends on: there, and unchanged since the model recorded their SHA-256. */
public final class SavedFiles {
    private SavedFiles() {}

    /**
     * Refuses a missing {@code file}, or one whose SHA-256 differs from {@code entry}'s {@code "sha256"} (not checked
     * when the entry records none, as after {@code eval --kg OTHER}); {@code what} says what the model was trained with.
     */
    public static void requireUnchanged(Path file, JsonObject entry, String what) {
        if (!Files.exists(file) || (entry.has("sha256") && !Files.isRegularFile(file))) {
            throw new InfuseException(file + " is missing: the model was trained with " + what + " and needs it");
        }
        if (!entry.has("sha256")) {
            return;
        }
        String recorded = entry.get("sha256").getAsString();
        String now = Provenance.sha256(file);
        if (!now.equals(recorded)) {
            throw new InfuseException(file + " was changed after training: its SHA-256 is " + now.substring(0, 12) + "..., the model"
                    + " recorded " + recorded.substring(0, Math.min(12, recorded.length())) + "...; restore it, or retrain");
        }
    }
}
