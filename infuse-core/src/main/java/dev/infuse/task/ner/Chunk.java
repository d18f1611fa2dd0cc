package dev.infuse.task.ner;

/** An entity chunk: words {@code [start, end)} of one sentence with a type. */
public record Chunk(String type, int start, int end) {}
