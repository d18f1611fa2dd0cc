package dev.infuse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from /proc (Linux); -1 where that is not available. */
public final class Memory {
    private Memory() {}

    public static double peakRssMb() {
        return statusKb("VmHWM:") / 1024.0;
    }

    /** Resets the peak to the current resident size (Linux 4.0 and later); false where that is not possible. */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    public static double rssMb() {
        return statusKb("VmRSS:") / 1024.0;
    }

    private static long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1024;
        }
        return -1024;
    }
}
