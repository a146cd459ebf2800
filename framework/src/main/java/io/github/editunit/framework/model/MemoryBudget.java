package io.github.editunit.framework.model;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The memory a model may use, compared with its {@link MemoryEstimate} at load. On a GPU it is the
 * device's free memory (CUDA's {@code cudaMemGetInfo} through DJL). On the CPU tensors live in
 * native memory (libtorch's allocator, outside the Java heap), so the budget is the machine's
 * <em>available</em> physical memory: {@code MemAvailable} of {@code /proc/meminfo} (free memory plus
 * reclaimable caches, what the kernel can hand out without swapping), lowered to the room left under
 * a cgroup memory limit (containers; v2 {@code memory.max − memory.current}, v1
 * {@code memory.limit_in_bytes − memory.usage_in_bytes}). Without {@code /proc/meminfo} it falls back
 * to the JVM's {@code OperatingSystemMXBean} free memory (container-aware).
 *
 * @param availableBytes what the model may take
 * @param physicalBytes total physical memory (or the cgroup limit if lower), for messages
 * @param source where {@code availableBytes} came from, for messages
 */
public record MemoryBudget(long availableBytes, long physicalBytes, String source) {

    /** A fixed budget (tests, or a limit chosen by the caller). */
    public static MemoryBudget of(long availableBytes, String source) {
        return new MemoryBudget(availableBytes, availableBytes, source);
    }

    /**
     * The budget of {@code device} now: free GPU memory for a GPU (null when CUDA cannot tell, and the
     * check is then skipped), this machine's available memory for the CPU.
     */
    public static MemoryBudget of(Device device) {
        if (!device.isGpu()) {
            return ofMachine();
        }
        try {
            MemoryUsage gpu = CudaUtils.getGpuMemory(device);
            return new MemoryBudget(gpu.getMax() - gpu.getUsed(), gpu.getMax(),
                    "free memory of gpu:" + device.getDeviceId() + " (CUDA)");
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The budget of this machine now. */
    public static MemoryBudget ofMachine() {
        return of(Path.of("/proc/meminfo"), Path.of("/sys/fs/cgroup"));
    }

    /** The budget from a meminfo file and a cgroup root (package-private for tests). */
    static MemoryBudget of(Path meminfo, Path cgroupRoot) {
        OptionalLong available = meminfoKb(meminfo, "MemAvailable");
        OptionalLong total = meminfoKb(meminfo, "MemTotal");
        long avail;
        long phys;
        String source;
        if (available.isPresent() && total.isPresent()) {
            avail = available.getAsLong() * 1024;
            phys = total.getAsLong() * 1024;
            source = "MemAvailable in /proc/meminfo";
        } else {
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            avail = os.getFreeMemorySize();
            phys = os.getTotalMemorySize();
            source = "free memory reported by the JVM";
        }
        long[] cg = cgroup(cgroupRoot);
        if (cg != null) {
            long room = Math.max(0, cg[0] - cg[1]);
            if (room < avail) {
                avail = room;
                source = "room under the cgroup memory limit";
            }
            phys = Math.min(phys, cg[0]);
        }
        return new MemoryBudget(avail, phys, source);
    }

    /** {@code {limit, usage}} of a cgroup v2 or v1 memory controller, or null when unlimited or absent. */
    private static long[] cgroup(Path root) {
        long[] v2 = limitAndUsage(root.resolve("memory.max"), root.resolve("memory.current"));
        return v2 != null ? v2
                : limitAndUsage(root.resolve("memory/memory.limit_in_bytes"), root.resolve("memory/memory.usage_in_bytes"));
    }

    private static long[] limitAndUsage(Path limitFile, Path usageFile) {
        try {
            String limit = Files.readString(limitFile).trim();
            if (limit.equals("max")) {
                return null;
            }
            long l = Long.parseLong(limit);
            if (l <= 0 || l >= (1L << 60)) {
                return null; // "no limit" is written as a huge number in v1
            }
            long u = Files.isRegularFile(usageFile) ? Long.parseLong(Files.readString(usageFile).trim()) : 0;
            return new long[] {l, u};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static OptionalLong meminfoKb(Path meminfo, String key) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith(key + ":")) {
                    String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: the caller falls back
        }
        return OptionalLong.empty();
    }

    /** {@code 22.0 GB available (MemAvailable in /proc/meminfo; 24.7 GB physical)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s available (%s; %s physical)", MemoryEstimate.gb(availableBytes), source,
                MemoryEstimate.gb(physicalBytes));
    }
}
