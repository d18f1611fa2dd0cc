package dev.infuse.domain;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a bundle and reports every problem it finds, each as {@code file:line: message}, instead of
 * stopping at the first as {@link DomainBundle} does: fixing a large bundle one error per run is slow.
 */
public final class BundleValidator {
    /** One problem; {@code line} is 0 when it concerns the whole file. */
    public record Problem(Path file, int line, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": " + message;
        }
    }

    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Entity> entities = new HashMap<>();
    /** False when the entities file could not be read at all: references to entities are then not checked. */
    private boolean entitiesRead = true;

    private BundleValidator() {}

    /** All problems in {@code dir}, in file then line order; empty means the bundle is valid. */
    public static List<Problem> validate(Path dir) {
        BundleValidator v = new BundleValidator();
        if (!Files.isDirectory(dir)) {
            v.problems.add(new Problem(dir, 0, "bundle directory not found"));
            return v.problems;
        }
        v.checkEntities(dir);
        v.checkCorpus(dir);
        v.checkTriples(dir);
        return v.problems;
    }

    private void checkEntities(Path dir) {
        Path f = single(dir, BundleFiles.ENTITIES);
        if (f == null) {
            entitiesRead = false;
            if (BundleFiles.notAFile(dir, BundleFiles.ENTITIES) == null) {
                problems.add(new Problem(dir.resolve(BundleFiles.ENTITIES), 0, "file not found (a bundle needs entities)"));
            }
            return;
        }
        Map<String, Integer> firstLine = new HashMap<>();
        int lines = 0;
        try (Lines in = Lines.open(f)) {
            for (Lines.Line l = in.next(); l != null; l = in.next()) {
                String text = text(f, l);
                if (text == null) {
                    continue;
                }
                lines++;
                try {
                    Entity e = BundleFormat.parseEntity(text);
                    Integer prev = firstLine.putIfAbsent(e.id(), l.number());
                    if (prev != null) {
                        problems.add(new Problem(f, l.number(), "duplicate entity id '" + e.id() + "', first defined on line " + prev));
                    } else {
                        entities.put(e.id(), e);
                    }
                } catch (IllegalArgumentException ex) {
                    problems.add(new Problem(f, l.number(), ex.getMessage()));
                }
            }
        } catch (Lines.ReadError e) {
            problems.add(new Problem(f, 0, e.reason()));
            entitiesRead = false;
            return;
        }
        if (lines == 0) {
            entitiesRead = false;
            problems.add(new Problem(f, 0, "no entities found, expected at least one JSON line"));
        }
    }

    private void checkCorpus(Path dir) {
        Path jsonl = single(dir, BundleFiles.CORPUS_JSONL);
        Path txt = single(dir, BundleFiles.CORPUS_TEXT);
        if (jsonl != null && txt != null) {
            problems.add(new Problem(dir, 0, "both " + jsonl.getFileName() + " and " + txt.getFileName()
                    + " exist, expected one corpus file"));
        }
        if (txt != null) {
            try (Lines in = Lines.open(txt)) {
                for (Lines.Line l = in.next(); l != null; l = in.next()) {
                    text(txt, l);
                }
            } catch (Lines.ReadError e) {
                problems.add(new Problem(txt, 0, e.reason()));
            }
        }
        if (jsonl == null) {
            return;
        }
        Set<String> ids = new HashSet<>();
        try (Lines in = Lines.open(jsonl)) {
            for (Lines.Line l = in.next(); l != null; l = in.next()) {
                String text = text(jsonl, l);
                if (text == null) {
                    continue;
                }
                Passage p;
                try {
                    p = BundleFormat.parsePassage(text);
                } catch (IllegalArgumentException ex) {
                    problems.add(new Problem(jsonl, l.number(), ex.getMessage()));
                    continue;
                }
                if (!ids.add(p.id())) {
                    problems.add(new Problem(jsonl, l.number(), "duplicate passage id '" + p.id() + "'"));
                }
                for (int i = 0; i < p.mentions().size(); i++) {
                    checkMention(jsonl, l.number(), p, i);
                }
            }
        } catch (Lines.ReadError e) {
            problems.add(new Problem(jsonl, 0, e.reason()));
        }
    }

    private void checkMention(Path f, int line, Passage p, int i) {
        if (!entitiesRead) {
            return; // the entities file's own problem says it all; one line per mention would bury it
        }
        Mention m = p.mentions().get(i);
        Entity e = entities.get(m.entity());
        String where = "mention " + i + " [" + m.start() + ", " + m.end() + ")";
        if (e == null) {
            problems.add(new Problem(f, line, where + " names unknown entity '" + m.entity() + "'"));
            return;
        }
        String surface = p.surface(m);
        if (!e.isCalled(surface)) {
            problems.add(new Problem(f, line, where + " covers '" + surface + "', expected a name or alias of '"
                    + e.id() + "' (" + e.name() + ")"));
        }
    }

    private void checkTriples(Path dir) {
        Path f = single(dir, BundleFiles.TRIPLES);
        if (f == null) {
            return;
        }
        try (Lines in = Lines.open(f)) {
            for (Lines.Line l = in.next(); l != null; l = in.next()) {
                String text = text(f, l);
                if (text == null) {
                    continue;
                }
                try {
                    Triple t = BundleFormat.parseTriple(text);
                    if (!entitiesRead) {
                        continue;
                    }
                    if (!entities.containsKey(t.head())) {
                        problems.add(new Problem(f, l.number(), "head '" + t.head() + "' is not an entity id"));
                    }
                    if (!entities.containsKey(t.tail())) {
                        problems.add(new Problem(f, l.number(), "tail '" + t.tail() + "' is not an entity id"));
                    }
                } catch (IllegalArgumentException ex) {
                    problems.add(new Problem(f, l.number(), ex.getMessage()));
                }
            }
        } catch (Lines.ReadError e) {
            problems.add(new Problem(f, 0, e.reason()));
        }
    }

    /** The line's text, or null (after recording why) if it is invalid UTF-8 or blank. */
    private String text(Path f, Lines.Line l) {
        if (l.text() == null) {
            problems.add(new Problem(f, l.number(), "invalid UTF-8, expected UTF-8 text"));
            return null;
        }
        return l.text().isBlank() ? null : l.text();
    }

    /** The one variant of {@code name}; two variants is itself a problem (the first is still checked). */
    private Path single(Path dir, String name) {
        List<Path> v = BundleFiles.variants(dir, name);
        Path odd = BundleFiles.notAFile(dir, name);
        if (odd != null) {
            problems.add(new Problem(odd, 0, BundleFiles.notAFileReason(odd)));
        }
        if (v.size() > 1) {
            problems.add(new Problem(dir, 0, "both " + name + " and " + name + ".gz exist, expected one"));
        }
        return v.isEmpty() ? null : v.get(0);
    }
}
