package io.github.editunit.framework.runtime;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Locale;

/**
 * Gives the free pages of the C heap back to the system when a phase that allocated and freed much native memory ends
 * (a perplexity pass, a statistics pass, a value search). libtorch allocates tensors with {@code malloc}; glibc keeps
 * freed chunks below the top of its heap for reuse, so after a phase the process stays as large as that phase's peak
 * plus its fragmentation, and the next phase grows on top of it (GPT-2 XL: the forward, statistics and edit phases of
 * {@code bench-scale} each left hundreds of MB behind; docs/benchmarks.md). {@code malloc_trim(0)} releases every
 * whole free page, wherever it lies; it costs milliseconds on a heap of GBs.
 *
 * <p>For large models ({@link #adaptTo}) the heap's mmap threshold is also fixed at {@value #DEFAULT_MMAP_THRESHOLD_KIB}
 * KiB: glibc raises its threshold to the size of every mmapped block that is freed (up to 32 MiB), after which the
 * tensors of a forward pass (a few MB each on GPT-2 XL) come from the heap and leave holes there that no {@code free}
 * returns; with a fixed threshold each such tensor is its own mapping, returned when it is freed. GPT-2 XL's statistics
 * pass over five layers: peak resident 9.35 GB (1.50× the weights) with the dynamic threshold, 8.04 GB with a fixed
 * 1 MiB one, at 11 % fewer tokens/s (fresh pages are zeroed by the kernel); docs/benchmarks.md. Small models keep
 * glibc's default, which is faster for them and whose fragmentation is small in absolute terms.
 *
 * <p>Only on Linux with glibc; elsewhere (and with {@value #PROPERTY}{@code =false}) {@link #trim} and
 * {@link #adaptTo} do nothing.
 */
public final class NativeHeap {

    /** System property: {@code false} turns trimming off (default on). */
    public static final String PROPERTY = "editunit.nativeHeap.trim";

    /** System property: the mmap threshold (KiB) {@link #adaptTo} sets for large models; 0 leaves glibc's own. */
    public static final String MMAP_THRESHOLD_PROPERTY = "editunit.nativeHeap.mmapThresholdKib";

    static final long DEFAULT_MMAP_THRESHOLD_KIB = 1024;
    /** Weights from this size on get the fixed mmap threshold. */
    static final long LARGE_MODEL_BYTES = 2L << 30;
    /** glibc's {@code M_MMAP_THRESHOLD} parameter of {@code mallopt}. */
    private static final int M_MMAP_THRESHOLD = -3;

    private static final LibC LIBC = load();
    private static volatile long fixedThreshold;

    private NativeHeap() {}

    /** glibc's {@code int malloc_trim(size_t pad)}. */
    private interface LibC extends Library {
        int malloc_trim(long pad);

        int mallopt(int param, int value);
    }

    private static LibC load() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
                || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError e) {
            return null; // no loadable C library under that name: nothing to trim
        }
    }

    /** Whether trimming is available here (Linux, glibc, not turned off). */
    public static boolean available() {
        return LIBC != null;
    }

    /** Releases the C heap's free pages to the system; whether any were released. */
    public static boolean trim() {
        if (LIBC == null) {
            return false;
        }
        try {
            return LIBC.malloc_trim(0) == 1;
        } catch (LinkageError e) {
            return false; // a C library without malloc_trim (musl)
        }
    }

    /**
     * Fixes the heap's mmap threshold when a model of {@code weightBytes} is loaded and it is large (at least 2 GiB):
     * {@value #MMAP_THRESHOLD_PROPERTY} KiB (default {@value #DEFAULT_MMAP_THRESHOLD_KIB}). Left alone when the
     * environment sets {@code MALLOC_MMAP_THRESHOLD_} (the user's choice) or the property is 0. Returns the threshold in
     * bytes now fixed by EditUnit, or 0.
     */
    public static long adaptTo(long weightBytes) {
        if (weightBytes >= LARGE_MODEL_BYTES && System.getenv("MALLOC_MMAP_THRESHOLD_") == null) {
            long kib = Long.getLong(MMAP_THRESHOLD_PROPERTY, DEFAULT_MMAP_THRESHOLD_KIB);
            if (kib > 0) {
                fixMmapThreshold(kib << 10);
            }
        }
        return fixedThreshold;
    }

    /** Sets glibc's mmap threshold to {@code bytes} (which also ends its dynamic adjustment); whether it was set. */
    static synchronized boolean fixMmapThreshold(long bytes) {
        if (LIBC == null || bytes <= 0 || bytes > Integer.MAX_VALUE) {
            return false;
        }
        try {
            if (LIBC.mallopt(M_MMAP_THRESHOLD, (int) bytes) == 1) {
                fixedThreshold = bytes;
                return true;
            }
            return false;
        } catch (LinkageError e) {
            return false; // a C library without mallopt
        }
    }
}
