package io.github.editunit.framework.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the machine is and how busy it is, from /proc (values are absent where /proc is not). */
public final class Machine {

    private Machine() {}

    /** The 1-minute load average, or NaN. */
    public static double load1() {
        String[] f = read("/proc/loadavg").split("\\s+");
        try {
            return Double.parseDouble(f[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The raw /proc/loadavg line (1, 5, 15-minute averages, runnable/total tasks). */
    public static String loadavg() {
        return read("/proc/loadavg").trim();
    }

    /** A {@code /proc/self/status} field in bytes ({@code VmRSS}, {@code VmHWM}), or -1. */
    public static long statusBytes(String field) {
        for (String line : read("/proc/self/status").split("\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return -1;
    }

    /** Processors, CPU model and total memory. */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("processors", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", field(read("/proc/cpuinfo"), "model name"));
        String mem = field(read("/proc/meminfo"), "MemTotal");
        m.put("memTotalMiB", mem == null ? null : Long.parseLong(mem.replaceAll("\\D+", "")) / 1024);
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        return m;
    }

    private static String field(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name)) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return null;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
