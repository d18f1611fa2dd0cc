package dev.infuse.task;

import java.util.Map;

/**
 * What an evaluation measured.
 *
 * @param primary the number early stopping and reports rank by (NER: entity F1; the others: accuracy or micro-F1)
 * @param all every metric, JSON-ready
 */
public record Scores(String primaryName, double primary, Map<String, Object> all) {}
