package dev.infuse.inject;

/** Loads a saved plug-in back from a model directory; one per method, registered in {@link KnowledgeTypes}. */
public interface KnowledgeType {
    Knowledge load(LoadContext context);
}
