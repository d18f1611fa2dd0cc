package dev.infuse.inject.zeo;

import dev.infuse.InfuseException;
import dev.infuse.domain.DomainBundle;
import dev.infuse.domain.Entity;
import dev.infuse.domain.Triple;
import dev.infuse.train.data.TextPassage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A pool of sentence templates that turns a bundle's types and triples into extra training text with
 * linked mentions. One template per line; blank lines and lines starting with {@code #} are skipped.
 *
 * <ul>
 *   <li>An entity template uses {@code {name}} and optionally {@code {type}}: "{name} is a kind of {type} ."
 *       It yields one sentence per entity (per typed entity if it uses {type}).
 *   <li>A triple template uses {@code {head}} and/or {@code {tail}} and optionally {@code {relation}}
 *       (underscores read as spaces): "{head} {relation} {tail} ." It yields one sentence per triple.
 * </ul>
 *
 * Each fact takes one template of its kind, drawn from the seed, so the pool adds variety, not copies.
 * {@code {name}}, {@code {head}} and {@code {tail}} become mentions linked to their entities. A template
 * mixing the two kinds, naming another placeholder, or with an unbalanced brace is an error naming its line.
 */
public final class Templates {
    private static final Set<String> ENTITY = Set.of("name", "type");
    private static final Set<String> TRIPLE = Set.of("head", "tail", "relation");

    /** A template split into literal text and placeholder names, alternating, literal first. */
    record Template(int line, List<String> parts, boolean triple) {}

    private final List<Template> entityPool = new ArrayList<>();
    private final List<Template> triplePool = new ArrayList<>();
    private Templates() {}

    public static Templates read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InfuseException("cannot read templates " + file + ": " + e.getMessage());
        }
        return parse(lines, file.toString());
    }

    public static Templates parse(List<String> lines, String source) {
        Templates t = new Templates();
        for (int i = 0; i < lines.size(); i++) {
            String s = lines.get(i).strip();
            if (!s.isEmpty() && !s.startsWith("#")) {
                Template tpl = parseLine(s, i + 1, source);
                (tpl.triple() ? t.triplePool : t.entityPool).add(tpl);
            }
        }
        if (t.entityPool.isEmpty() && t.triplePool.isEmpty()) {
            throw new InfuseException(source + ": no templates found");
        }
        return t;
    }

    private static Template parseLine(String s, int line, String source) {
        List<String> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        boolean entity = false;
        boolean triple = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '}') {
                throw new InfuseException(source + ":" + line + ": unbalanced brace: '}' at column " + (i + 1) + " closes nothing");
            }
            if (c != '{') {
                lit.append(c);
                continue;
            }
            int end = s.indexOf('}', i);
            int nested = s.indexOf('{', i + 1);
            if (end < 0 || nested >= 0 && nested < end) {
                throw new InfuseException(source + ":" + line + ": unbalanced brace: '{' at column " + (i + 1) + " is not closed");
            }
            String name = s.substring(i + 1, end);
            if (!ENTITY.contains(name) && !TRIPLE.contains(name)) {
                throw new InfuseException(source + ":" + line + ": unknown placeholder {" + name
                        + "}; expected {name}, {type}, {head}, {tail} or {relation}");
            }
            entity |= ENTITY.contains(name);
            triple |= TRIPLE.contains(name);
            parts.add(lit.toString());
            lit.setLength(0);
            parts.add(name);
            i = end;
        }
        parts.add(lit.toString());
        if (entity && triple) {
            throw new InfuseException(source + ":" + line + ": mixes entity placeholders ({name}, {type}) with triple placeholders"
                    + " ({head}, {tail}, {relation}); use one kind per template");
        }
        if (entity && !uses(parts, "name") || triple && !uses(parts, "head") && !uses(parts, "tail") || !entity && !triple) {
            throw new InfuseException(source + ":" + line + ": a template needs {name}, or {head} or {tail}, to link a mention");
        }
        return new Template(line, parts, triple);
    }

    /** Whether a placeholder (odd index) is {@code name}; literal text at even indices never counts. */
    private static boolean uses(List<String> parts, String name) {
        for (int i = 1; i < parts.size(); i += 2) {
            if (parts.get(i).equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Every sentence the pool makes from the bundle, each its own document, in entity then triple order. */
    public void forEach(DomainBundle bundle, long seed, Consumer<TextPassage> sink) {
        Map<String, Entity> byId = bundle.entitiesById();
        long fact = 0;
        for (Entity e : bundle.entities()) {
            Template t = pick(entityPool, seed, fact++);
            if (t != null && !(e.type().isBlank() && uses(t.parts(), "type"))) {
                sink.accept(render(t, Map.of("name", e), Map.of("type", e.type())));
            }
        }
        try (Stream<Triple> triples = bundle.triples()) {
            for (Triple tr : (Iterable<Triple>) triples::iterator) {
                Template t = pick(triplePool, seed, fact++);
                Entity h = byId.get(tr.head());
                Entity tl = byId.get(tr.tail());
                if (t != null && h != null && tl != null) {
                    sink.accept(render(t, Map.of("head", h, "tail", tl), Map.of("relation", tr.relation().replace('_', ' '))));
                }
            }
        }
    }

    private static Template pick(List<Template> pool, long seed, long fact) {
        return pool.isEmpty() ? null : pool.get(new Random(dev.infuse.mask.Masker.rngFor(seed, -1, fact).nextLong()).nextInt(pool.size()));
    }

    private static TextPassage render(Template t, Map<String, Entity> mentions, Map<String, String> words) {
        StringBuilder s = new StringBuilder();
        List<int[]> spans = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < t.parts().size(); i++) {
            String p = t.parts().get(i);
            if (i % 2 == 0) {
                s.append(p);
            } else if (mentions.containsKey(p)) {
                Entity e = mentions.get(p);
                spans.add(new int[] {s.length(), s.length() + e.name().length()});
                ids.add(e.id());
                s.append(e.name());
            } else {
                s.append(words.get(p));
            }
        }
        return new TextPassage(s.toString(), true, spans, ids);
    }
}
