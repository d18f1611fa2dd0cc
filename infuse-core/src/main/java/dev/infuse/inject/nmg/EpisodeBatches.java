package dev.infuse.inject.nmg;

import dev.infuse.mask.MaskedExample;
import dev.infuse.mask.Masker;
import dev.infuse.mask.TokenInstance;
import dev.infuse.model.BertModel;
import dev.infuse.train.BatchSource;
import dev.infuse.train.MlmBatch;
import dev.infuse.train.ModelMasking;
import dev.infuse.train.data.Cursor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One agent's further pretraining data in an episode: the episode's texts in order, {@code batchSize} at a
 * time, each masked once by the agent's choice on the agent's own copy of the model. The replacements (80/10/10)
 * are drawn from one stream per text shared by the three agents, so their copies differ only by what was chosen.
 */
final class EpisodeBatches implements BatchSource<MlmBatch> {
    private final List<TokenInstance> texts;
    private final int batchSize;
    private final ModelMasking chooser;
    private final BertModel model;
    private final Masker masker;
    private final long replaceSeed;
    private final long chooseSeed;
    private final int padId;
    private int next;

    /**
     * @param replaceSeed the episode's seed for the replacements, the same for every agent
     * @param chooseSeed the agent's own seed for its draws
     */
    EpisodeBatches(List<TokenInstance> texts, int batchSize, ModelMasking chooser, BertModel model, Masker masker, long replaceSeed,
            long chooseSeed, int padId) {
        this.texts = texts;
        this.batchSize = batchSize;
        this.chooser = chooser;
        this.model = model;
        this.masker = masker;
        this.replaceSeed = replaceSeed;
        this.chooseSeed = chooseSeed;
        this.padId = padId;
    }

    @Override
    public MlmBatch next() {
        List<TokenInstance> batch = new ArrayList<>();
        List<Random> draws = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            int at = (next + i) % texts.size();
            batch.add(texts.get(at));
            draws.add(Masker.rngFor(chooseSeed, 0, at));
            index.add(at);
        }
        next += batchSize;
        List<boolean[]> chosen = chooser.choose(model, batch, draws);
        List<MaskedExample> examples = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            examples.add(masker.apply(batch.get(i), chosen.get(i), Masker.rngFor(replaceSeed, 0, index.get(i))));
        }
        return MlmBatch.of(examples, padId);
    }

    @Override
    public Cursor cursor() {
        return new Cursor(0, next, 0, 0);
    }

    @Override
    public void seek(Cursor cursor) {
        next = (int) cursor.index();
    }
}
