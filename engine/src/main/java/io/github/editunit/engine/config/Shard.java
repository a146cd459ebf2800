package io.github.editunit.engine.config;

import java.util.Map;

/**
 * A deterministic share of the work: {@code index} of {@code count} (0-based). An item with a
 * stable key belongs to the shard {@code floorMod(hash(key), count)}, so every shard sees the
 * same split regardless of which machine runs it, and the union of all shards is everything.
 */
public record Shard(int index, int count) {

    public static final Shard ALL = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard must be INDEX/COUNT with 0 <= INDEX < COUNT, got " + index + "/" + count);
        }
    }

    /** Parses {@code INDEX/COUNT}. */
    public static Shard parse(String s) {
        String[] p = s.trim().split("/");
        if (p.length != 2) {
            throw new IllegalArgumentException(Constants.SHARD + " must be INDEX/COUNT (e.g. 0/4), got '" + s + "'");
        }
        return new Shard(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()));
    }

    /** The shard implied by common CI variables, or {@link #ALL}. */
    public static Shard fromEnvironment(Map<String, String> env) {
        String[][] pairs = {
            {"CI_NODE_INDEX", "CI_NODE_TOTAL", "1"}, // GitLab (1-based), Semaphore
            {"JOB_COMPLETION_INDEX", "HARDEDIT_SHARD_COUNT", "0"}, // Kubernetes indexed job
            {"JOB_COMPLETION_INDEX", "JOB_COMPLETIONS", "0"},
            {"CIRCLE_NODE_INDEX", "CIRCLE_NODE_TOTAL", "0"},
            {"BUILDKITE_PARALLEL_JOB", "BUILDKITE_PARALLEL_JOB_COUNT", "0"},
        };
        for (String[] p : pairs) {
            String i = env.get(p[0]);
            String n = env.get(p[1]);
            if (i != null && n != null && !i.isBlank() && !n.isBlank()) {
                int index = Integer.parseInt(i.trim()) - Integer.parseInt(p[2]);
                return new Shard(index, Integer.parseInt(n.trim()));
            }
        }
        return ALL;
    }

    /** Whether the item with this stable key belongs to this shard. */
    public boolean owns(String key) {
        return count == 1 || Math.floorMod(fnv(key), count) == index;
    }

    private static int fnv(String s) {
        int h = 0x811c9dc5;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x01000193;
        }
        return h;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
