/**
 * K-Adapter's factual adapter (Wang et al., Findings of ACL 2021): a stack of adapter layers outside a frozen
 * encoder, reading chosen hidden states, whose last state is concatenated to the encoder's for the task head; its
 * pretraining task, relation classification over a domain bundle's triples; and its plug-in files.
 */
package dev.infuse.inject.kadapter;
