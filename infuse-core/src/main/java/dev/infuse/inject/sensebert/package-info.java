/**
 * SenseBERT (Levine et al., ACL 2020): beside MLM, each masked word also predicts its WordNet supersense.
 * A word may have several (bank: noun.artifact, noun.group, verb.contact, ...), and the loss rewards putting the
 * probability anywhere among them while also spreading it over all of them:
 * {@code −log Σ_{s∈A(w)} p(s) − (1/|A(w)|) Σ_{s∈A(w)} log p(s)}. {@code --method mlm+sensebert:W}.
 */
package dev.infuse.inject.sensebert;
