package dev.infuse.inject.zeo;

import dev.infuse.domain.DomainBundle;
import dev.infuse.io.Provenance;
import dev.infuse.train.data.PassageSource;
import dev.infuse.train.data.TextPassage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A bundle's corpus followed by the sentences a template pool makes from its types and triples, each
 * sentence its own document. The template sentences are few (one per fact) and are held in memory; the
 * corpus still streams.
 */
public final class TemplateCorpus implements PassageSource {
    private final PassageSource corpus;
    private final List<TextPassage> extra;
    private final String hash;
    private final Path templates;

    public TemplateCorpus(PassageSource corpus, DomainBundle bundle, Path templates, long seed) {
        this.corpus = corpus;
        this.templates = templates;
        List<TextPassage> out = new ArrayList<>();
        Templates.read(templates).forEach(bundle, seed, out::add);
        this.extra = List.copyOf(out);
        Path tf = dev.infuse.domain.BundleFiles.find(bundle.dir(), dev.infuse.domain.BundleFiles.TRIPLES);
        String triples = tf == null ? "" : Provenance.sha256(tf);
        this.hash = sha(corpus.sha256() + Provenance.sha256(templates) + triples + seed);
    }

    public int sentences() {
        return extra.size();
    }

    @Override
    public Pass open() {
        Pass base = corpus.open();
        return new Pass() {
            int next;

            @Override
            public boolean hasNext() {
                return base.hasNext() || next < extra.size();
            }

            @Override
            public TextPassage next() {
                return base.hasNext() ? base.next() : extra.get(next++);
            }

            @Override
            public void close() {
                base.close();
            }
        };
    }

    @Override
    public String describe() {
        return corpus.describe() + " + " + templates;
    }

    @Override
    public String sha256() {
        return hash;
    }

    @Override
    public boolean hasMentions() {
        return true;
    }

    private static String sha(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
