package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import io.github.editunit.framework.stats.PublishedStatistics;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * {@code hardedit.stats.file}: the run uses the published {@code .npz} for the edited layer and the Allure
 * environment names it ({@code statistics.layer0 = published FILE (sha256 ..., count ..., float32)}). Rules out
 * a run that ignores the key and computes C from the corpus: its entry would say {@code computed from}.
 */
class AllureStatisticsEnvironmentTest {

    static final int DK = 512; // the bundled GPT-2's MLP key width

    /** ROME's layout with raw sum {@code count · I} (so C = I) and {@code mom2.count}, deflated, no numpy. */
    static Path writeNpz(Path file, long count) throws Exception {
        ByteBuffer data = ByteBuffer.allocate(4 * DK * DK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < DK; i++) {
            data.putFloat((i * DK + i) * 4, count);
        }
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("mom2.mom2.npy"));
            zip.write(npy("<f4", "(" + DK + ", " + DK + ")", data.array()));
            zip.putNextEntry(new ZipEntry("mom2.count.npy"));
            zip.write(npy("<i8", "()", ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(count).array()));
            zip.closeEntry();
        }
        return file;
    }

    static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h)
                .put(data).array();
    }

    @Test
    void publishedStatisticsAreNamedInTheAllureEnvironment(@TempDir Path tmp) throws Exception {
        Path npz = writeNpz(tmp.resolve("transformer.h.0.mlp.c_proj_float32_mom2_7.npz"), 4321);
        Path results = Files.createDirectories(tmp.resolve("allure-results"));
        AllureLifecycle previous = Allure.getLifecycle();
        AllureLifecycle lifecycle = new AllureLifecycle(new FileSystemResultsWriter(results));
        Allure.setLifecycle(lifecycle);
        String previousDir = System.getProperty("allure.results.directory");
        System.setProperty("allure.results.directory", results.toString());
        try {
            Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                    .enableTestExecutionListenerAutoRegistration(false)
                    .addTestExecutionListeners(new AllureJunitPlatform(lifecycle)).build());
            launcher.execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(Suites.TightBound.class))
                    .filters(org.junit.platform.launcher.EngineFilter.includeEngines("hardedit"))
                    .configurationParameter("hardedit.reporter", "allure")
                    .configurationParameter("hardedit.progress", "false")
                    .configurationParameter("hardedit.ppl.limit", "8")
                    .configurationParameter("hardedit.stats.dir", tmp.resolve("stats").toString())
                    .configurationParameter("hardedit.stats.file", npz.toString())
                    .configurationParameter("hardedit.model", "bundled").build());
        } finally {
            Allure.setLifecycle(previous);
            if (previousDir == null) {
                System.clearProperty("allure.results.directory");
            } else {
                System.setProperty("allure.results.directory", previousDir);
            }
        }
        String env = Files.readString(results.resolve("environment.properties"), StandardCharsets.ISO_8859_1);
        assertThat(env).contains("statistics.layer0=published " + npz.getFileName() + " (sha256 "
                + PublishedStatistics.sha256(npz) + ", count 4321, float32)");
        try (var files = Files.walk(tmp.resolve("stats"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".mom2")).toList())
                    .singleElement().asString().startsWith("layer0_published_");
        }
    }
}
