package dev.infuse.model;

import dev.infuse.InfuseException;
import java.util.ArrayList;
import java.util.List;

/**
 * One batch of typed inputs to {@link BertModel#forward}. Built with {@link #builder()}: {@code setX} for
 * required values, {@code optX} for optional ones. All arrays are [B][T] (visibility is [B][T][T]).
 *
 * @param inputIds token ids (B, T)
 * @param tokenTypeIds segment ids (B, T), or null for all zeros
 * @param positionIds explicit position ids (B, T) such as K-BERT's soft positions, or null for the default
 *     numbering (0..T-1 for BERT; after the padding id for RoBERTa)
 * @param paddingMask 1 for a real token, 0 for padding (B, T), or null for all real
 * @param visibility a full visibility matrix (B, T, T): row i says which positions token i may attend to;
 *     mutually exclusive with paddingMask
 * @param overrides per-position input embeddings that replace the word embedding at chosen positions
 * @param allHiddenStates whether to return every layer's hidden states, embeddings first
 * @param context what the rows' knowledge plug-ins put beside their tokens, for the encoder's modules
 */
public record BertInput(
        long[][] inputIds,
        long[][] tokenTypeIds,
        long[][] positionIds,
        int[][] paddingMask,
        boolean[][][] visibility,
        List<EmbeddingOverride> overrides,
        boolean allHiddenStates,
        ForwardContext context) {

    /** The input embedding at (batch, position) is {@code vector} instead of the token's word embedding. */
    public record EmbeddingOverride(int batch, int position, float[] vector) {}

    public BertInput(long[][] inputIds, long[][] tokenTypeIds, long[][] positionIds, int[][] paddingMask, boolean[][][] visibility,
            List<EmbeddingOverride> overrides, boolean allHiddenStates) {
        this(inputIds, tokenTypeIds, positionIds, paddingMask, visibility, overrides, allHiddenStates, ForwardContext.NONE);
    }

    public BertInput {
        if (inputIds == null || inputIds.length == 0) {
            throw new InfuseException("an input batch needs at least one sequence");
        }
        int t = inputIds[0].length;
        if (t == 0) {
            throw new InfuseException("an input sequence needs at least one token");
        }
        rectangular("input_ids", inputIds, inputIds.length, t);
        if (tokenTypeIds != null) {
            rectangular("token_type_ids", tokenTypeIds, inputIds.length, t);
        }
        if (positionIds != null) {
            rectangular("position_ids", positionIds, inputIds.length, t);
        }
        if (paddingMask != null) {
            if (paddingMask.length != inputIds.length) {
                throw shape("attention mask", paddingMask.length, inputIds.length, t);
            }
            for (int[] row : paddingMask) {
                if (row.length != t) {
                    throw shape("attention mask", paddingMask.length, inputIds.length, t);
                }
            }
        }
        if (visibility != null) {
            if (paddingMask != null) {
                throw new InfuseException("give either a padding mask [B,T] or a visibility matrix [B,T,T], not both");
            }
            if (visibility.length != inputIds.length) {
                throw new InfuseException("visibility matrix has " + visibility.length + " sequences, expected " + inputIds.length);
            }
            for (boolean[][] m : visibility) {
                if (m.length != t) {
                    throw new InfuseException("visibility matrix is " + m.length + " rows, expected " + t);
                }
                for (boolean[] row : m) {
                    if (row.length != t) {
                        throw new InfuseException("visibility matrix row has " + row.length + " columns, expected " + t);
                    }
                }
            }
        }
        overrides = overrides == null ? List.of() : List.copyOf(overrides);
        context = context == null ? ForwardContext.NONE : context;
        if (!context.isEmpty() && context.rows().size() != inputIds.length) {
            throw new InfuseException("the forward context has " + context.rows().size() + " rows, the batch " + inputIds.length);
        }
        for (EmbeddingOverride o : overrides) {
            if (o.batch() < 0 || o.batch() >= inputIds.length || o.position() < 0 || o.position() >= t) {
                throw new InfuseException("embedding override at [" + o.batch() + "," + o.position() + "] is outside the batch ["
                        + inputIds.length + "," + t + "]");
            }
        }
    }

    private static void rectangular(String name, long[][] a, int b, int t) {
        if (a.length != b) {
            throw shape(name, a.length, b, t);
        }
        for (long[] row : a) {
            if (row.length != t) {
                throw new InfuseException(name + " has a row of " + row.length + " tokens, expected " + t + " (rows must be padded)");
            }
        }
    }

    private static InfuseException shape(String name, int found, int b, int t) {
        return new InfuseException(name + " has " + found + " rows, expected [" + b + "," + t + "]");
    }

    /** The same input with {@code c} beside its tokens. */
    public BertInput withContext(ForwardContext c) {
        return new BertInput(inputIds, tokenTypeIds, positionIds, paddingMask, visibility, overrides, allHiddenStates, c);
    }

    public int batchSize() {
        return inputIds.length;
    }

    public int length() {
        return inputIds[0].length;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private long[][] inputIds;
        private long[][] tokenTypeIds;
        private long[][] positionIds;
        private int[][] paddingMask;
        private boolean[][][] visibility;
        private final List<EmbeddingOverride> overrides = new ArrayList<>();
        private boolean allHiddenStates;
        private ForwardContext context = ForwardContext.NONE;

        public Builder setInputIds(long[][] ids) {
            this.inputIds = ids;
            return this;
        }

        public Builder optTokenTypeIds(long[][] ids) {
            this.tokenTypeIds = ids;
            return this;
        }

        public Builder optPositionIds(long[][] ids) {
            this.positionIds = ids;
            return this;
        }

        public Builder optPaddingMask(int[][] mask) {
            this.paddingMask = mask;
            return this;
        }

        public Builder optVisibility(boolean[][][] matrix) {
            this.visibility = matrix;
            return this;
        }

        public Builder optEmbedding(int batch, int position, float[] vector) {
            overrides.add(new EmbeddingOverride(batch, position, vector));
            return this;
        }

        public Builder optAllHiddenStates(boolean all) {
            this.allHiddenStates = all;
            return this;
        }

        public Builder optContext(ForwardContext context) {
            this.context = context;
            return this;
        }

        public BertInput build() {
            return new BertInput(inputIds, tokenTypeIds, positionIds, paddingMask, visibility, overrides, allHiddenStates, context);
        }
    }
}
