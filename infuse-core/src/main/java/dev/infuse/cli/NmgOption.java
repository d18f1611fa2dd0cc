package dev.infuse.cli;

import dev.infuse.InfuseException;
import java.nio.file.Path;
import java.util.Locale;

/** {@code --masking nmg:DIR}: a learned policy is a masking that names its directory. */
final class NmgOption {
    private NmgOption() {}

    /** The policy directory {@code masking} names, or null when it names a plain strategy. */
    static Path policy(String masking) {
        String s = masking.trim();
        if (!s.toLowerCase(Locale.ROOT).startsWith("nmg")) {
            return null;
        }
        if (!s.toLowerCase(Locale.ROOT).startsWith("nmg:") || s.length() == 4) {
            throw new InfuseException("--masking " + masking + ": a learned policy is nmg:DIR, DIR the --output-dir of infuse nmg train");
        }
        return Path.of(s.substring(4));
    }
}
