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
