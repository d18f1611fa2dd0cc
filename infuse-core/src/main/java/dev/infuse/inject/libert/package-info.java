/**
 * LIBERT (Lauscher et al., COLING 2020): beside MLM, the model classifies word pairs {@code [CLS] w1 [SEP] w2 [SEP]}
 * as lexically related (WordNet synonyms or hyponym-hypernym) or not. Each related pair brings two negatives, w1 or
 * w2 swapped for the word of the pair batch nearest to it by the model's own input embeddings.
 * {@code --method mlm+libert}.
 */
package dev.infuse.inject.libert;
