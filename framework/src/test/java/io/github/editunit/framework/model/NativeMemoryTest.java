package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.github.editunit.framework.runtime.DjlRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Repeating the same forward pass must not grow the process's resident memory: every native
 * array a call creates has to be freed when the call's scope closes.
 *
 * <p>Each case runs in a child JVM ({@link Probe}) with a fixed, pre-touched 96 MB heap, the
 * serial GC and only the C1 JIT. In the test JVM itself VmRSS is dominated by the JVM: with the
 * default 384 MB initial heap, heap pages are touched for the first time as garbage accumulates
 * and G1 uncommits lazily (+130..200 MB over 10,000 calls, no native leak at all), and C2
 * compilations leave ~40 MB of malloc arenas behind. With these flags the same loop moves VmRSS
 * by about 4 MB, so the growth measured is native growth.
 *
 * <p>Bound: after {@value Probe#WARMUP} warm-up calls, {@value Probe#CALLS} more calls may grow
 * VmRSS by less than {@value #MAX_GROWTH_MB} MB, i.e. less than 3.3 KB per call. Leaking one
 * activation per call is far above that: the residual stream {@code [B=4, T=16, d=64]} float32
 * is 16 KiB, so 10,000 leaked copies are 160 MiB; the logits {@code [4, 16, 128]} would be
 * 320 MiB; even one leaked {@code [4, 256]} key read (4 KiB) gives 40 MiB. Checked by hand:
 * attaching one {@code [4, 16, 64]} array per call to the model's manager made both cases fail.
 */
class NativeMemoryTest {

    static final long MAX_GROWTH_MB = 32;
    static final Path STATUS = Path.of("/proc/self/status");

    @Test
    void repeatedTokenLogProbsDoNotGrowResidentMemory() throws Exception {
        assertThat(childRssGrowth("forward")).as("VmRSS growth over %d forward passes (bytes)", Probe.CALLS)
                .isLessThan(MAX_GROWTH_MB << 20);
    }

    @Test
    void repeatedHookedForwardsWithReadAndInjectionDoNotGrowResidentMemory() throws Exception {
        assertThat(childRssGrowth("hooks")).as("VmRSS growth over %d hooked forward passes (bytes)", Probe.CALLS)
                .isLessThan(MAX_GROWTH_MB << 20);
    }

    /** Runs {@link Probe} in a child JVM and returns the VmRSS growth it measured. */
    private static long childRssGrowth(String mode) throws IOException, InterruptedException {
        assumeTrue(Files.isReadable(STATUS), "/proc/self/status is not available on this system");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xms96m", "-Xmx96m", "-XX:+AlwaysPreTouch",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss4m", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", classpath, Probe.class.getName(), mode).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("probe finished").isTrue();
        System.out.print(out);
        assertThat(p.exitValue()).as("probe exit code; output:%n%s", out).isZero();
        Matcher m = Pattern.compile("growth=(-?\\d+)").matcher(out);
        assertThat(m.find()).as("probe reported its growth; output:%n%s", out).isTrue();
        return Long.parseLong(m.group(1));
    }

    /** VmRSS of this process, from /proc/self/status. */
    static long rssBytes() throws IOException {
        for (String line : Files.readAllLines(STATUS)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS line in " + STATUS);
    }

    /**
     * The measured loop, run in the child JVM: {@code forward} calls {@code tokenLogProbs};
     * {@code hooks} runs logits with an MLP-key read and an MLP-output injection.
     */
    public static final class Probe {

        static final int WARMUP = 500;
        static final int CALLS = 10_000;

        /** vocab 128, context 32, width 64, 2 layers, 4 heads, inner 256. */
        static final ModelConfig TINY = ModelConfig.gpt2(128, 32, 64, 2, 4);

        public static void main(String[] args) throws IOException {
            DjlRuntime.engine();
            JniUtils.setNumThreads(1); // a tiny model is fastest on one thread, and robust under load
            SplittableRandom r = new SplittableRandom(5);
            List<int[]> sequences = new ArrayList<>();
            for (int len : new int[] {16, 12, 9, 16}) {
                sequences.add(r.ints(len, 0, TINY.vocabSize()).toArray());
            }
            try (LanguageModel model = LanguageModel.random(TINY, 11, null, Device.cpu())) {
                Runnable call = args[0].equals("hooks") ? () -> hooked(model, sequences)
                        : () -> check(model.tokenLogProbs(sequences).get(0).length == 15, "log-probs");
                for (int i = 0; i < WARMUP; i++) {
                    call.run();
                }
                System.gc();
                long before = rssBytes();
                long t0 = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    call.run();
                }
                System.gc();
                long after = rssBytes();
                System.out.printf("NativeMemoryTest.Probe %s: VmRSS %d -> %d KiB over %d calls in %.1f s growth=%d%n",
                        args[0], before >> 10, after >> 10, CALLS, (System.nanoTime() - t0) / 1e9, after - before);
            }
        }

        private static void hooked(LanguageModel model, List<int[]> sequences) {
            try (NDManager scope = model.newScope()) {
                NDArray deltas = scope.randomNormal(0f, 0.1f, new Shape(2, TINY.width()), DataType.FLOAT32);
                ForwardHooks hooks = new ForwardHooks()
                        .read(HookPoint.mlpKey(0), new int[] {0, 1, 2, 3}, new int[] {15, 11, 8, 15})
                        .inject(HookPoint.mlpOutput(1), deltas, new int[] {0, 3}, new int[] {15, 15},
                                new int[] {0, 1});
                NDArray logits = model.logits(model.batch(scope, sequences), hooks);
                check(hooks.captured(HookPoint.mlpKey(0)).toFloatArray().length == 4 * TINY.innerWidth(), "keys");
                check(logits.getShape().get(2) == TINY.vocabSize(), "logits");
            }
        }

        /** A cheap in-loop check (AssertJ would allocate on every call). */
        private static void check(boolean ok, String what) {
            if (!ok) {
                throw new AssertionError("unexpected shape of " + what);
            }
        }
    }
}
