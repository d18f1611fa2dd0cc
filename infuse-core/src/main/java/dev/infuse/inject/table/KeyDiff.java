package dev.infuse.inject.table;

import java.util.ArrayList;
import java.util.List;

/** Names what differs between two resume keys made of {@code |}-separated parts, for one line to a user. */
final class KeyDiff {
    private KeyDiff() {}

    static String of(String there, String here) {
        if (there == null) {
            return "it records no key";
        }
        String[] a = there.split("\\|", -1);
        String[] b = here.split("\\|", -1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(none)";
            String y = i < b.length ? b[i] : "(none)";
            if (!x.equals(y)) {
                out.add(short12(x) + " there, " + short12(y) + " here");
            }
        }
        return out.isEmpty() ? "same key, other shape" : String.join("; ", out);
    }

    /** A fingerprint or hash is cut to 12 characters; settings are short anyway. */
    private static String short12(String part) {
        return part.matches("[0-9a-f]{32,}") ? part.substring(0, 12) + "..." : part;
    }
}
