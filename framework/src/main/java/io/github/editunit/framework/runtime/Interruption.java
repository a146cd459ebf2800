package io.github.editunit.framework.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Clean stops on SIGINT/SIGTERM (and {@code System.exit} from a test runner).
 *
 * <p>Without this, the JVM's shutdown ran libtorch's static destructors while the main thread
 * was still inside a native call (seen: SIGSEGV in {@code at::accelerator::getAccelerator} under
 * {@code torchBackward} when {@code train} got SIGTERM). Work that calls into libtorch runs inside
 * a {@link Guard}; a shutdown hook marks the stop as requested and waits until every guard is
 * closed. Guarded work calls {@link #checkpoint()} between native steps (a training step, a
 * statistics batch, a value-search step, a case), which throws {@link RunInterruptedException}
 * once a stop is requested; the work unwinds through its {@code finally} blocks (restoring
 * weights, deleting temporary files) and closes its guard, and only then does the JVM exit. The
 * hook gives up after {@link #GRACE} so that a hung native call cannot keep the process alive.
 */
public final class Interruption {

    /** How long the shutdown hook waits for guarded work to reach a checkpoint. */
    public static final Duration GRACE = Duration.ofSeconds(120);

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Condition IDLE = LOCK.newCondition();
    private static final AtomicInteger ACTIVE = new AtomicInteger();
    private static volatile boolean requested;
    private static volatile String reason = "interrupted";
    private static boolean installed;

    private Interruption() {}

    /** Work inside which the JVM does not exit; close it when the work (and its cleanup) is done. */
    public static final class Guard implements AutoCloseable {
        private boolean closed;

        private Guard() {}

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            LOCK.lock();
            try {
                if (ACTIVE.decrementAndGet() == 0) {
                    IDLE.signalAll();
                }
            } finally {
                LOCK.unlock();
            }
        }
    }

    /** Installs the shutdown hook (once per JVM) and opens a guard. */
    public static Guard enter() {
        install();
        ACTIVE.incrementAndGet();
        return new Guard();
    }

    /** Throws {@link RunInterruptedException} if a stop was requested. Cheap: one volatile read. */
    public static void checkpoint() {
        if (requested) {
            throw new RunInterruptedException(reason);
        }
    }

    /** Whether a stop was requested. */
    public static boolean isRequested() {
        return requested;
    }

    /**
     * Requests a stop as the shutdown hook does (for tests and for callers that stop a run
     * themselves). Guarded work stops at its next checkpoint.
     */
    public static void request(String why) {
        reason = why;
        requested = true;
    }

    /** Clears a request made with {@link #request} (tests only: a real shutdown cannot be undone). */
    public static void clearForTests() {
        requested = false;
        reason = "interrupted";
    }

    private static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        Thread hook = new Thread(Interruption::onShutdown, "editunit-interruption");
        try {
            Runtime.getRuntime().addShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            requested = true;
        }
    }

    private static void onShutdown() {
        if (ACTIVE.get() == 0) {
            return;
        }
        request("interrupted: the JVM is shutting down (SIGINT, SIGTERM or System.exit)");
        System.err.println("[editunit] stop requested: finishing the current step and cleaning up ...");
        long deadline = System.nanoTime() + GRACE.toNanos();
        LOCK.lock();
        try {
            while (ACTIVE.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    System.err.println("[editunit] work did not reach a checkpoint within " + GRACE.toSeconds()
                            + " s; exiting anyway");
                    return;
                }
                IDLE.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            LOCK.unlock();
        }
    }
}
