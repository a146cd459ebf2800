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
 * <p>Only on Linux with glibc; elsewhere (and with {@value #PROPERTY}{@code =false}) {@link #trim} does nothing.
 */
public final class NativeHeap {

    /** System property: {@code false} turns trimming off (default on). */
    public static final String PROPERTY = "editunit.nativeHeap.trim";

    private static final LibC LIBC = load();

    private NativeHeap() {}

    /** glibc's {@code int malloc_trim(size_t pad)}. */
    private interface LibC extends Library {
        int malloc_trim(long pad);
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
}
