package dev.infuse.domain;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * Turns surface names into stable entity ids.
 *
 * <p>A slug keeps letters and digits of any script, lower-cased, and joins the rest with '-'. When two
 * names share a slug ("C" and "C++" both give "c"), every one of them gets a suffix from a CRC of its
 * exact spelling, so an id depends only on which names collide, not on input order.
 */
public final class Slugs {
    private Slugs() {}

    public static String slug(String name) {
        StringBuilder sb = new StringBuilder();
        boolean dash = false;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                if (dash && sb.length() > 0) {
                    sb.append('-');
                }
                sb.appendCodePoint(Character.toLowerCase(cp));
                dash = false;
            } else {
                dash = true;
            }
        }
        if (sb.length() == 0) {
            // Names made only of symbols ("$", "!!") get their code points, e.g. "x24".
            sb.append('x');
            name.codePoints().limit(8).forEach(cp -> sb.append(Integer.toHexString(cp)).append('-'));
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    /** Assigns a distinct id to every distinct name; the result iterates in input order. */
    public static Map<String, String> assign(Collection<String> names) {
        Map<String, List<String>> bySlug = new HashMap<>();
        for (String n : new TreeSet<>(names)) {
            bySlug.computeIfAbsent(slug(n), k -> new java.util.ArrayList<>()).add(n);
        }
        Map<String, String> out = new LinkedHashMap<>();
        java.util.Set<String> used = new java.util.HashSet<>();
        for (String n : names) {
            if (out.containsKey(n)) {
                continue;
            }
            String s = slug(n);
            String id = bySlug.get(s).size() == 1 ? s : s + "-" + crc(n);
            // Only a CRC collision between colliding names can land here; count up deterministically.
            String base = id;
            for (int k = 2; !used.add(id); k++) {
                id = base + "-" + k;
            }
            out.put(n, id);
        }
        return out;
    }

    private static String crc(String s) {
        CRC32 c = new CRC32();
        c.update(s.getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%06x", c.getValue() & 0xffffff);
    }
}
