/**
 * KEPLER (Wang et al., TACL 2021): a knowledge-embedding loss beside MLM, in which an entity's embedding is the
 * encoder's own [CLS] state over the entity's description, so one encoder learns both text and graph, and an entity
 * never seen in training still gets an embedding from its description. {@code --method mlm+kepler}; evaluation by
 * filtered link prediction, {@code infuse kepler eval}, with {@code infuse kepler split} for the inductive setting.
 */
package dev.infuse.inject.kepler;
