package dev.infuse.domain;

import java.util.List;

/** One unit of corpus text with the entity mentions found in it. */
public record Passage(String id, String text, List<Mention> mentions) {
    public Passage {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("empty passage id");
        }
        if (text == null) {
            throw new IllegalArgumentException("passage '" + id + "' has no text");
        }
        mentions = mentions == null ? List.of() : List.copyOf(mentions);
        for (Mention m : mentions) {
            if (m.end() > text.length()) {
                throw new IllegalArgumentException("mention [" + m.start() + ", " + m.end()
                        + ") is outside the text of length " + text.length());
            }
        }
    }

    /** The mentioned surface text. */
    public String surface(Mention m) {
        return text.substring(m.start(), m.end());
    }
}
