package io.github.editunit.framework.progress;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Progress of a long job on stderr: items done, throughput and ETA, at most a few lines per
 * second so logs stay readable. stdout is never touched, so {@code --json} output stays clean.
 */
public final class Progress {

    private final String prefix;
    private final long total;
    private final String unit;
    private final Consumer<String> out;
    private final boolean finishLine;
    private final long intervalNanos;
    private final long start = System.nanoTime();
    private long lastPrint = start;
    private long done;
    private long tokens;

    public Progress(String task, long total, String unit, PrintStream out, long intervalMillis) {
        this("[" + task + "] ", total, unit, out == null ? null : out::println, true, intervalMillis);
    }

    private Progress(String prefix, long total, String unit, Consumer<String> out, boolean finishLine,
            long intervalMillis) {
        this.prefix = prefix;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.finishLine = finishLine;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /**
     * Lines {@code <prefix>20/50 sentences, …, 4s elapsed} to {@code sink}, one every {@code intervalMillis}
     * while the job runs and none at the end: a job shorter than the interval prints nothing (the caller
     * reports the result in its own line).
     */
    public static Progress periodic(String prefix, long total, String unit, Consumer<String> sink,
            long intervalMillis) {
        return new Progress(prefix, total, unit, sink, false, intervalMillis);
    }

    /** A progress line on stderr every two seconds; {@code null} stream disables output. */
    public static Progress toStderr(String task, long total, String unit) {
        return new Progress(task, total, unit, System.err, 2000);
    }

    /** Silent progress (for tests and library callers that report otherwise). */
    public static Progress silent() {
        return new Progress("", 0, "", null, Long.MAX_VALUE / 1_000_000L);
    }

    /** Records {@code items} more items and {@code tokenCount} more tokens. */
    public void advance(long items, long tokenCount) {
        done += items;
        tokens += tokenCount;
        long now = System.nanoTime();
        // a periodic progress says nothing once the job is complete: its caller's result line follows
        boolean complete = !finishLine && total > 0 && done >= total;
        if (out != null && !complete && now - lastPrint >= intervalNanos) {
            lastPrint = now;
            out.accept(line(now));
        }
    }

    /** Prints the final line. */
    public void finish() {
        if (out != null && finishLine) {
            out.accept(line(System.nanoTime()) + " done");
        }
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private String line(long now) {
        double secs = Math.max((now - start) / 1e9, 1e-9);
        StringBuilder sb = new StringBuilder();
        sb.append(prefix).append(done);
        if (total > 0) {
            sb.append('/').append(total);
        }
        sb.append(' ').append(unit);
        if (tokens > 0) {
            sb.append(String.format(Locale.ROOT, ", %.0f tokens/s", tokens / secs));
        }
        if (total > 0 && done > 0 && done < total) {
            double eta = secs / done * (total - done);
            sb.append(String.format(Locale.ROOT, ", ETA %s", duration(eta)));
        }
        sb.append(String.format(Locale.ROOT, ", %s elapsed", duration(secs)));
        return sb.toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }
}
