package dev.infuse.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The versions of infuse, DJL and PyTorch this build was made with, as Maven wrote them into
 * {@code dev/infuse/version.properties} from the pom. A copy of the class files that skipped resource
 * filtering reports {@code unknown} rather than a version it cannot vouch for.
 */
public final class Versions {
    static final String RESOURCE = "/dev/infuse/version.properties";
    private static final Properties PROPERTIES = load();

    private Versions() {}

    public static String infuse() {
        return get("infuse.version");
    }

    public static String djl() {
        return get("djl.version");
    }

    public static String pytorch() {
        return get("pytorch.version");
    }

    static String get(String key) {
        String v = PROPERTIES.getProperty(key, "");
        return v.isBlank() || v.contains("${") ? "unknown" : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // fall through: every version then reads "unknown"
        }
        return p;
    }
}
