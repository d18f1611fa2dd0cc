package dev.infuse.train.data;

import dev.infuse.InfuseException;
import dev.infuse.domain.BundleFiles;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Mention;
import dev.infuse.domain.Passage;
import dev.infuse.io.Provenance;
import dev.infuse.text.MentionMatcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A domain bundle's corpus as passages with entity mentions, for entity masking. {@code corpus.jsonl}
 * brings its own linked mentions; {@code corpus.txt} has none, so its mentions are found by matching
 * the entities' names and aliases (longest match, ambiguous surfaces skipped).
 *
 * <p>Documents: {@code corpus.txt} keeps its blank-line documents; each {@code corpus.jsonl} record is its
 * own document, since the format records no grouping.
 */
public final class BundleCorpus implements PassageSource {
    private final DomainBundle bundle;
    private final MentionMatcher matcher; // null when the corpus links its own mentions

    public BundleCorpus(DomainBundle bundle) {
        if (!bundle.hasCorpus()) {
            throw new InfuseException(bundle.dir() + ": the bundle has no corpus (" + BundleFiles.CORPUS_TEXT + " or "
                    + BundleFiles.CORPUS_JSONL + ")");
        }
        // A corpus.jsonl brings its own mentions, so nothing here would read the entities: check them anyway,
        // or pretrain would accept a bundle (duplicate ids, say) that pelt build refuses.
        this.bundle = bundle.requireValid();
        this.matcher = BundleFiles.find(bundle.dir(), BundleFiles.CORPUS_JSONL) != null ? null : dictionary(bundle);
    }

    private static MentionMatcher dictionary(DomainBundle bundle) {
        MentionMatcher.Builder b = MentionMatcher.builder();
        for (Entity e : bundle.entities()) {
            b.add(e.name(), e.id(), true);
            for (String alias : e.aliases()) {
                if (!alias.isEmpty()) {
                    b.add(alias, e.id(), false);
                }
            }
        }
        return b.build();
    }

    @Override
    public boolean hasMentions() {
        return true;
    }

    @Override
    public String describe() {
        return bundle.dir().toString();
    }

    /** The corpus and the entities both decide the instances (the entities through matched mentions). */
    @Override
    public String sha256() {
        Path corpus = BundleFiles.find(bundle.dir(), BundleFiles.CORPUS_JSONL);
        corpus = corpus != null ? corpus : BundleFiles.find(bundle.dir(), BundleFiles.CORPUS_TEXT);
        String both = Provenance.sha256(corpus) + Provenance.sha256(BundleFiles.find(bundle.dir(), BundleFiles.ENTITIES));
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(both.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Pass open() {
        Stream<Passage> stream = bundle.passages();
        Iterator<Passage> it = stream.iterator();
        return new Pass() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public TextPassage next() {
                return convert(it.next());
            }

            @Override
            public void close() {
                stream.close();
            }
        };
    }

    private TextPassage convert(Passage p) {
        List<int[]> spans = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        if (matcher == null) {
            for (Mention m : p.mentions()) {
                spans.add(new int[] {m.start(), m.end()});
                ids.add(m.entity());
            }
        } else {
            for (MentionMatcher.Match m : matcher.findAll(p.text())) {
                if (!m.ambiguous()) {
                    spans.add(new int[] {m.start(), m.end()});
                    ids.add(m.entity());
                }
            }
        }
        // corpus.txt ids are d<document>.p<passage>: passage 1 opens a document.
        boolean startsDocument = matcher == null || p.id().endsWith(".p1");
        return new TextPassage(p.text(), startsDocument, spans, ids);
    }
}
