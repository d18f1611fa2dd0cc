package dev.infuse.inject;

import com.google.gson.JsonObject;
import dev.infuse.model.MaskedLm;
import java.nio.file.Path;

/**
 * What a saved model directory gives a plug-in to load itself back.
 *
 * @param dir the model directory
 * @param entry what {@link Knowledge#save} returned, as task.json holds it
 * @param lm the model it is loaded onto (its tokenizer, its config)
 */
public record LoadContext(Path dir, JsonObject entry, MaskedLm lm, int maxSeqLength) {}
