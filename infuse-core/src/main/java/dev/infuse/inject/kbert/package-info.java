/**
 * K-BERT (Liu et al., AAAI 2020): knowledge-graph triples put into the input at fine-tuning time, with no
 * pretraining. Read top to bottom:
 *
 * <ol>
 *   <li>{@link dev.infuse.inject.kbert.KnowledgeGraph}: the graph (a {@code .spo} file or a bundle's triples),
 *       subject linking and the seeded choice of branches;</li>
 *   <li>{@link dev.infuse.inject.kbert.SentenceTree}: branches inserted after their subjects, soft positions,
 *       the visible matrix and the truncation rule;</li>
 *   <li>{@link dev.infuse.inject.kbert.KbertEncoder}: both as a task {@code RowEncoder}, with counts and
 *       warnings;</li>
 *   <li>{@link dev.infuse.inject.kbert.KbertOptions}: the {@code --kg*} flags a run records.</li>
 * </ol>
 *
 * The engine does the rest: {@code BertModel} takes the positions and applies the matrix as an additive
 * -10000 mask in every layer, and {@code Batches.padded} pads trees without changing any real token's output.
 */
package dev.infuse.inject.kbert;
