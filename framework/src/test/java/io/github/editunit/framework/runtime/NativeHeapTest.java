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

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
