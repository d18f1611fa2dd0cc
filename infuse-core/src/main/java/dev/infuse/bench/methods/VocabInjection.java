package dev.infuse.bench.methods;

import dev.infuse.domain.DomainBundle;
import dev.infuse.inject.vocab.VocabChoice;
import dev.infuse.inject.vocab.VocabExtension;
import dev.infuse.model.AddedRows;
import dev.infuse.train.data.BundleCorpus;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code vocab}: the bundle's vocabulary extension ({@code infuse vocab extend}: its entities' split words first, then the
 * corpus's most fragmented, at most {@value #MAX_NEW}), then {@code token-mask}'s pretraining at the comparison's budget from
 * the extended model, with the new rows at {@value #NEW_TOKEN_LR_SCALE} times the rate (they train although the budget freezes
 * the embeddings).
 *
 * <p>In a combination with a method that pretrains by masking ({@code vocab+entity-mask}), only the extension runs here and
 * that method pretrains from the extended model, so the pair costs one budget, not two.
 */
public final class VocabInjection implements InjectionMethod {
    /**
     * Enough for every split word of FOLDOC's entity names (6,361 of them for bert-base-uncased) and then about 1,600 of its
     * corpus's most fragmented words; data/foldoc/benchmark/README.md has the pieces per word at other sizes.
     */
    public static final int MAX_NEW = 8000;

    /** Fewest corpus occurrences of a word that is not an entity's, as {@code vocab extend}'s default. */
    public static final int MIN_COUNT = 3;

    /** The new rows' learning rate over the budget's: they start from an average of pieces, not from pretraining. */
    public static final float NEW_TOKEN_LR_SCALE = 10f;

    private final MaskedPretraining pretraining = new MaskedPretraining("token");

    @Override
    public String model(String base, Path dir) {
        return dir.resolve("model").toString();
    }

    @Override
    public void inject(InjectionJob job) {
        String extended = extend(job);
        pretraining.inject(job.in(job.dir().resolve("model"), extended));
    }

    /** The extended model in {@code job.dir()/extended}, made once (it appears whole or not at all). */
    String extend(InjectionJob job) {
        Path out = job.dir().resolve("extended");
        if (!Files.isRegularFile(out.resolve(AddedRows.FILE))) {
            DomainBundle bundle = DomainBundle.open(job.domain());
            VocabExtension.run(new VocabExtension.Job(job.base(), new BundleCorpus(bundle), bundle, new VocabChoice.Settings(MAX_NEW, MIN_COUNT), out, true),
                    job.log());
        }
        return out.toString();
    }
}
