package io.github.editunit.framework.bench;

import io.github.editunit.framework.editing.EditOutcome;
import io.github.editunit.framework.editing.Editor;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.runtime.Interruption;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Edit + restore cycles of one case in one JVM: after every cycle the weights hash must equal
 * the unedited one, the edited tensor (which fixes δ and ΔW) must be bit-identical to the first
 * cycle's, and resident memory must stay flat. Resident memory is sampled after a warm-up (JIT,
 * allocator arenas and caches settle in the first cycles), then at the end.
 */
public final class EditSoakBenchmark {

    private EditSoakBenchmark() {}

    /**
     * @param modelDir model directory
     * @param cases case file
     * @param caseIndex which record to edit
     * @param method editing method
     * @param cycles edit + restore cycles
     * @param warmup cycles before the first resident-memory sample
     * @param statsDir statistics cache
     */
    public static Map<String, Object> run(Path modelDir, Path cases, int caseIndex, String method, int cycles,
            int warmup, Path statsDir) throws IOException {
        List<EditCase> all = CaseFileReader.readStrict(cases);
        if (caseIndex < 0 || caseIndex >= all.size()) {
            throw new IllegalArgumentException("--case-index " + caseIndex + " outside 0.." + (all.size() - 1)
                    + " of " + cases);
        }
        EditCase c = all.get(caseIndex);
        Map<String, Object> out = new LinkedHashMap<>();
        try (LanguageModel model = ModelFiles.load(modelDir)) {
            EditingContext ctx = new EditingContext(model, modelDir, new StatisticsCache(statsDir), null);
            Editor editor = new EditorFactory(ctx).create(method, null, Map.of());
            String base = model.parameters().contentHash();
            String firstDigest = null;
            TreeSet<String> digests = new TreeSet<>();
            int hashMismatches = 0;
            long rssWarm = -1;
            long rssStart = Machine.statusBytes("VmRSS");
            long t0 = System.nanoTime();
            double editSeconds = 0;
            for (int i = 0; i < cycles; i++) {
                Interruption.checkpoint();
                if (i == warmup) {
                    rssWarm = Machine.statusBytes("VmRSS");
                }
                String digest;
                try (EditOutcome o = editor.apply(model, EditRequests.of(c))) {
                    editSeconds += o.seconds();
                    digest = digest(o.editedValues());
                    if (!o.restore()) {
                        hashMismatches++;
                    }
                }
                if (!model.parameters().contentHash().equals(base)) {
                    hashMismatches++;
                }
                digests.add(digest);
                if (firstDigest == null) {
                    firstDigest = digest;
                }
                if ((i + 1) % 50 == 0 || i + 1 == cycles) {
                    System.err.printf(Locale.ROOT, "[soak] %d/%d cycles, distinct updates %d, VmRSS %.1f MB%n", i + 1,
                            cycles, digests.size(), Machine.statusBytes("VmRSS") / 1048576.0);
                }
            }
            long rssEnd = Machine.statusBytes("VmRSS");
            out.put("model", modelDir.toString());
            out.put("case", c.caseId() + " (" + c.subject() + " → " + c.targetNew() + ")");
            out.put("method", method);
            out.put("cycles", cycles);
            out.put("distinctUpdates", digests.size());
            out.put("updateSha256", firstDigest);
            out.put("weightsHashMismatches", hashMismatches);
            out.put("rssStartMb", mb(rssStart));
            out.put("rssAfterWarmupMb", mb(rssWarm));
            out.put("rssEndMb", mb(rssEnd));
            out.put("rssGrowthAfterWarmupMb", rssWarm < 0 ? null : mb(rssEnd - rssWarm));
            out.put("warmupCycles", warmup);
            out.put("secondsPerCycle", (System.nanoTime() - t0) / 1e9 / cycles);
            out.put("editSecondsPerCycle", editSeconds / cycles);
        }
        return out;
    }

    private static double mb(long bytes) {
        return Math.round(bytes / 1048576.0 * 10) / 10.0;
    }

    /** SHA-256 over the edited tensors' names and float bits. */
    static String digest(Map<String, float[]> values) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Map.Entry<String, float[]> e : new java.util.TreeMap<>(values).entrySet()) {
            sha.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.allocate(e.getValue().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(e.getValue());
            sha.update(b);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
