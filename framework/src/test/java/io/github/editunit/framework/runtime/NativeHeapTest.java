package io.github.editunit.framework.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class NativeHeapTest {

    private static final int BLOCK = 64 * 1024; // below glibc's mmap threshold: from the heap, kept there when freed
    private static final int BLOCKS = 1600; // 100 MiB

    /**
     * 100 MiB of small blocks are allocated, touched and freed below a block that stays, so {@code free} cannot give
     * them back at the heap's top; {@link NativeHeap#trim} must. Rules out a trim that does nothing (or calls
     * {@code malloc_trim} with a pad that keeps everything): resident memory would not fall.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void trimGivesFreedHeapPagesBackToTheSystem() throws IOException {
        assertThat(NativeHeap.available()).as("glibc's malloc_trim on Linux").isTrue();
        List<Memory> blocks = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            Memory m = new Memory(BLOCK);
            m.setMemory(0, BLOCK, (byte) 1);
            blocks.add(m);
        }
        Memory above = new Memory(BLOCK);
        above.setMemory(0, BLOCK, (byte) 1);
        for (Memory m : blocks) {
            m.close();
        }
        long before = residentBytes();
        boolean released = NativeHeap.trim();
        long after = residentBytes();
        above.close();
        assertThat(released).isTrue();
        assertThat(before - after).as("resident bytes released (before %d, after %d)", before, after)
                .isGreaterThan(BLOCKS * (long) BLOCK / 2);
    }

    /**
     * Small models keep glibc's dynamic mmap threshold; a large one fixes it at 1 MiB, after which freed blocks of a few
     * MB go back to the system at once, even below a block that stays. Each variant runs in a fresh JVM (a JVM that ran
     * other tests has free heap space that blocks of any size are carved from first): the dynamic threshold is raised to
     * 16 MiB (a freed 16 MiB mapping), as a forward pass of GPT-2 XL raises it, then 40 blocks of 2 MiB are allocated,
     * touched and freed below one that stays. With the fixed threshold they leave the process on free; with glibc's own
     * (a 1 GiB model) they come from the heap and stay. Rules out an adaptTo that never fixes the threshold (or sets
     * another parameter) and one that fixes it for every model.
     */
    @Test
    @EnabledOnOs(OS.LINUX)
    void largeModelsFixTheMmapThresholdSoFreedTensorsLeaveAtOnce() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("MALLOC_MMAP_THRESHOLD_") == null,
                "MALLOC_MMAP_THRESHOLD_ is set: adaptTo leaves the user's choice alone");
        long[] large = probeInFreshJvm(3L << 30);
        long[] small = probeInFreshJvm(1L << 30);
        assertThat(large[0]).as("a 3 GiB model fixes 1 MiB").isEqualTo(1L << 20);
        assertThat(small[0]).as("a 1 GiB model keeps the dynamic threshold").isZero();
        assertThat(large[1]).as("3 GiB model: bytes released by free alone").isGreaterThan(60L << 20);
        assertThat(small[1]).as("1 GiB model: bytes released by free alone").isLessThan(20L << 20);
    }

    /**
     * Runs {@link MmapThresholdProbe} for a model of {@code weightBytes} in a fresh JVM (this one's threshold depends on
     * the models earlier tests loaded): the threshold adaptTo fixed, and the resident bytes the frees released.
     */
    private static long[] probeInFreshJvm(long weightBytes) throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(javaBin.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                MmapThresholdProbe.class.getName(), Long.toString(weightBytes)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).as(out).isZero();
        String[] lines = out.split("\\R");
        return new long[] {Long.parseLong(lines[lines.length - 2].trim()), Long.parseLong(lines[lines.length - 1].trim())};
    }

    /** The probe's body (in a fresh JVM): prints the fixed threshold, then the resident bytes released by free. */
    public static final class MmapThresholdProbe {
        public static void main(String[] args) throws IOException {
            Memory raise = new Memory(16L << 20); // at most 32 MiB with its header, or glibc ignores it
            raise.setMemory(0, raise.size(), (byte) 1);
            raise.close();
            System.out.println(NativeHeap.adaptTo(Long.parseLong(args[0])));
            List<Memory> blocks = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                Memory m = new Memory(2L << 20);
                m.setMemory(0, m.size(), (byte) 1);
                blocks.add(m);
            }
            Memory above = new Memory(BLOCK);
            above.setMemory(0, BLOCK, (byte) 1);
            long before = residentBytes();
            for (Memory m : blocks) {
                m.close();
            }
            long after = residentBytes();
            above.close();
            System.out.println(before - after);
        }
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
