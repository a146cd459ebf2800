package io.github.editunit.framework.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * The one place that prepares DJL: offline mode and tracking opt-out are forced before the
 * engine is first touched, and devices are parsed from configuration strings.
 */
public final class DjlRuntime {

    private static volatile boolean prepared;

    private DjlRuntime() {}

    /**
     * Forces {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} (unless a caller
     * set them explicitly) and returns the PyTorch engine. Every entry point calls this first.
     */
    public static Engine engine() {
        prepare();
        return Engine.getEngine("PyTorch");
    }

    /** Sets the offline properties without starting the engine. Idempotent. */
    public static void prepare() {
        if (prepared) {
            return;
        }
        synchronized (DjlRuntime.class) {
            if (System.getProperty("ai.djl.offline") == null) {
                System.setProperty("ai.djl.offline", "true");
            }
            if (System.getProperty("OPT_OUT_TRACKING") == null) {
                System.setProperty("OPT_OUT_TRACKING", "true");
            }
            prepared = true;
        }
    }

    /**
     * Parses a device name: {@code cpu}, {@code gpu}, {@code gpu:1}, {@code cuda:0}. Defaults
     * to the CPU for null or blank input.
     */
    public static Device device(String name) {
        prepare();
        if (name == null || name.isBlank()) {
            return Device.cpu();
        }
        String n = name.trim().toLowerCase(Locale.ROOT).replace("cuda", "gpu");
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("gpu")) {
            return Device.gpu();
        }
        if (n.startsWith("gpu:")) {
            return Device.gpu(Integer.parseInt(n.substring(4)));
        }
        throw new IllegalArgumentException("unknown device '" + name + "': use cpu, gpu or gpu:N");
    }

    /** Name and version of the native engine, for reports. */
    public static String engineDescription() {
        Engine e = engine();
        return e.getEngineName() + " " + e.getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
    }
}
