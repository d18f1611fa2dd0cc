package dev.infuse.inject.kepler;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Lines;
import dev.infuse.domain.wordnet.Synset;
import dev.infuse.domain.wordnet.WordNet;
import dev.infuse.io.Provenance;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Where an entity's description comes from: a domain bundle's {@code description} field, WordNet 3.0 glosses by
 * synset offset (WN18RR's ids), or a file of {@code id<TAB>description} lines. A lookup returns null for an entity the
 * source lacks or describes with nothing; the caller names it.
 */
public interface Descriptions {
    /** The description of {@code id}, or null. */
    String of(String id);

    /** What it is, for messages and provenance. */
    String describe();

    /** What identifies its contents for a resume: a file's SHA-256, or the fixed source's name. */
    String identity();

    /** {@code wordnet}, or a file, as {@code --kepler-descriptions} takes them. */
    static Descriptions parse(String value) {
        if (value.equalsIgnoreCase("wordnet")) {
            return wordNet(WordNet.load());
        }
        return file(Path.of(value));
    }

    static Descriptions bundle(Path dir) {
        Map<String, Entity> byId = DomainBundle.open(dir).entitiesById();
        String sha = Provenance.sha256(dev.infuse.domain.BundleFiles.find(DomainBundle.open(dir).dir(), dev.infuse.domain.BundleFiles.ENTITIES));
        return new Descriptions() {
            @Override
            public String of(String id) {
                Entity e = byId.get(id);
                return e == null || e.description() == null || e.description().isBlank() ? null : e.description().strip();
            }

            @Override
            public String describe() {
                return "the entities of " + dir;
            }

            @Override
            public String identity() {
                return "bundle entities sha256 " + sha;
            }
        };
    }

    /**
     * A synset's words, then its definition (its gloss without the quoted examples): "dog, domestic dog, Canis
     * familiaris: a member of the genus Canis ...". The words lead as a Wikipedia abstract, KEPLER's descriptions,
     * opens with its title; without them two synsets of one definition could not be told apart.
     *
     * <p>WN18RR's ids are offsets without a part of speech. Most are nouns and verbs, but 1,092 of its 40,943 are
     * found only among adjectives or adverbs (the target of a {@code _derivationally_related_form} or {@code _also_see}),
     * and 232 offsets occur in more than one data file; an offset is looked up as a noun, then a verb, an adjective,
     * an adverb, and the first synset found describes it.
     */
    static Descriptions wordNet(WordNet wn) {
        return new Descriptions() {
            @Override
            public String of(String id) {
                Synset s = wn.nounOrVerb(id);
                if (s == null) {
                    s = wn.synset('a', id);
                }
                if (s == null) {
                    s = wn.synset('r', id);
                }
                return s == null ? null : String.join(", ", s.lemmas()) + ": " + s.definition();
            }

            @Override
            public String describe() {
                return "WordNet 3.0 glosses (synsets by offset: noun, else verb, adjective, adverb)";
            }

            @Override
            public String identity() {
                return "wordnet-3.0 lemmas: definition, n/v/a/r";
            }
        };
    }

    /** {@code id<TAB>description} lines, gzipped or not; blank lines are skipped, an id given twice is an error. */
    static Descriptions file(Path file) {
        Map<String, String> map = new HashMap<>();
        try (Lines lines = Lines.open(file)) {
            for (Lines.Line l = lines.next(); l != null; l = lines.next()) {
                if (l.text() == null) {
                    throw new InfuseException(file + ":" + l.number() + ": invalid UTF-8, expected UTF-8 text");
                }
                if (l.text().isBlank()) {
                    continue;
                }
                int tab = l.text().indexOf('\t');
                if (tab <= 0) {
                    throw new InfuseException(file + ":" + l.number() + ": expected id<TAB>description");
                }
                String id = l.text().substring(0, tab).strip();
                if (map.put(id, l.text().substring(tab + 1).strip()) != null) {
                    throw new InfuseException(file + ":" + l.number() + ": the entity \"" + id + "\" is described twice");
                }
            }
        }
        String sha = Provenance.sha256(file);
        return new Descriptions() {
            @Override
            public String of(String id) {
                String d = map.get(id);
                return d == null || d.isEmpty() ? null : d;
            }

            @Override
            public String describe() {
                return file.toString();
            }

            @Override
            public String identity() {
                return "file sha256 " + sha;
            }
        };
    }
}
