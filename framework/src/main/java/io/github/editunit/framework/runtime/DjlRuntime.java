package io.github.editunit.framework.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * The one place that prepares DJL: offline mode and tracking opt-out are forced before the
 * engine is first touched, DJL's CUDA-detection warning is silenced, and devices are parsed from
 * configuration strings.
 */
public final class DjlRuntime {

    /**
     * The slf4j-simple level property of DJL's CUDA detection. On a machine with a CUDA runtime but
     * no usable driver, {@code ai.djl.util.cuda.CudaUtils} logs "Failed to detect GPU count: CUDA
     * driver version is insufficient ..." at WARN each time it counts GPUs, although the CPU is used
     * and nothing is wrong. Set to {@code error} unless the caller set it (so its errors still show,
     * and {@code -D...CudaUtils=warn} brings the warning back). Only this logger; only slf4j-simple
     * reads it (another slf4j backend is configured its own way).
     */
    public static final String CUDA_DETECTION_LOG_LEVEL = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";

    private static volatile boolean prepared;

    private DjlRuntime() {}

    /**
     * Forces {@code ai.djl.offline=true} and {@code OPT_OUT_TRACKING=true} and quiets CUDA detection
     * (unless a caller set them explicitly) and returns the PyTorch engine. Every entry point calls this first.
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
            // read by slf4j-simple when CudaUtils creates its logger, i.e. before DJL first counts GPUs
            if (System.getProperty(CUDA_DETECTION_LOG_LEVEL) == null) {
                System.setProperty(CUDA_DETECTION_LOG_LEVEL, "error");
            }
            OpenMpWaitPolicy.warnOnce(System.getenv(), System.err);
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
