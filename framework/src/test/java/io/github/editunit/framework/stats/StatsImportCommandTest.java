package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.editunit.framework.cli.CliRun;
import io.github.editunit.framework.cli.EditUnitCli;
import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code editunit stats import} and the provenance {@code model-info} reports, on the bundled model (d_k 512). */
class StatsImportCommandTest {

    static final int DK = 512;

    @TempDir
    static Path tmp;

    static Path npz;
    static double[] raw;

    @BeforeAll
    static void writeFile() throws Exception {
        // a positive definite raw sum A Aᵀ of 600 random "keys"
        SplittableRandom r = new SplittableRandom(3);
        int n = 600;
        double[] a = new double[DK * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        raw = new double[DK * DK];
        for (int i = 0; i < DK; i++) {
            for (int j = i; j < DK; j++) {
                double s = 0;
                for (int t = 0; t < n; t++) {
                    s += a[i * n + t] * a[j * n + t];
                }
                raw[i * DK + j] = s;
                raw[j * DK + i] = s;
            }
        }
        npz = NpzTestFiles.write(tmp.resolve("transformer.h.2.mlp.c_proj_float32_mom2_40.npz"),
                NpzTestFiles.romeLayout(raw, DK, n, "<f4"), true);
    }

    @Test
    void importsIntoTheCacheAndModelInfoReportsTheProvenance() throws Exception {
        Path cache = tmp.resolve("cache");
        CliRun r = CliRun.execute("stats", "import", npz.toString(), "--model", "bundled", "--layer", "2",
                "--stats-dir", cache.toString(), "--json");
        assertThat(r.rc()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.path("layer").asInt()).isEqualTo(2);
        assertThat(j.path("dim").asInt()).isEqualTo(DK);
        assertThat(j.path("fromCache").asBoolean()).isFalse();
        JsonNode p = j.path("provenance");
        assertThat(p.path("kind").asText()).isEqualTo("published");
        assertThat(p.path("source").asText()).isEqualTo(npz.getFileName().toString());
        assertThat(p.path("sourceSha256").asText()).isEqualTo(PublishedStatistics.sha256(npz));
        assertThat(p.path("count").asLong()).isEqualTo(600);
        assertThat(p.path("sourceDtype").asText()).isEqualTo("float32");
        assertThat(p.path("sampleSize").asInt()).as("n from ROME's file name").isEqualTo(40);
        Path file = Path.of(j.path("file").asText());
        assertThat(file).isRegularFile().startsWith(cache);
        // the cached matrix is the raw sum divided by the count once (not twice, not never)
        SecondMomentStatistics s = Mom2File.read(file);
        assertThat(s.get(5, 9)).isCloseTo((float) raw[5 * DK + 9] / 600.0, org.assertj.core.data.Offset.offset(1e-12));

        CliRun info = CliRun.execute("model-info", "--model", "bundled", "--stats-dir", cache.toString(), "--json");
        assertThat(info.rc()).as(info.err()).isZero();
        JsonNode stats = info.json().path("statistics");
        assertThat(stats.size()).isEqualTo(1);
        assertThat(stats.get(0).path("layer").asInt()).isEqualTo(2);
        assertThat(stats.get(0).path("provenance").path("sourceSha256").asText()).isEqualTo(p.path("sourceSha256").asText());
        assertThat(info.json().path("weightsHash").isTextual()).as("existing fields kept").isTrue();
        CliRun text = CliRun.execute("model-info", "--model", "bundled", "--stats-dir", cache.toString());
        assertThat(text.out()).contains("layer 2: published " + npz.getFileName());
    }

    /**
     * {@code edit --stats-file} imports on the fly and every case's diagnostics name the published file
     * (rules out a run that silently computes C from the corpus instead: its provenance would be
     * {@code computed}, and no {@code _published_} file would be cached).
     */
    @Test
    void editWithStatsFileUsesThePublishedFileAndReportsItPerCase() throws Exception {
        Path cache = tmp.resolve("cache-edit");
        Path layer0 = NpzTestFiles.write(tmp.resolve("c_proj_0.npz"), NpzTestFiles.romeLayout(raw, DK, 600, "<f4"),
                false);
        CliRun r = CliRun.execute("edit", "--model", "bundled", "--cases",
                BundledModels.tinySuite("single-edit.json").toString(), "--method", "rome", "--limit", "1",
                "--no-ppl", "--stats-dir", cache.toString(), "--stats-file", "0=" + layer0, "--json");
        assertThat(r.rc()).as(r.err()).isIn(0, 1);
        JsonNode c = r.json().path("cases").get(0);
        assertThat(c.has("error")).as(c.toString()).isFalse();
        JsonNode p = c.path("diagnostics").path("statistics").path("0");
        assertThat(p.path("kind").asText()).isEqualTo("published");
        assertThat(p.path("sourceSha256").asText()).isEqualTo(PublishedStatistics.sha256(layer0));
        assertThat(p.path("count").asLong()).isEqualTo(600);
        assertThat(c.path("diagnostics").has("denominator")).as("existing diagnostics kept").isTrue();
        assertThat(r.err()).contains("[stats] layer 0: published c_proj_0.npz");
        try (var files = Files.walk(cache)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".mom2")).toList())
                    .singleElement().asString().startsWith("layer0_published_");
        }
        CliRun bad = CliRun.execute("edit", "--model", "bundled", "--cases",
                BundledModels.tinySuite("single-edit.json").toString(), "--method", "rome", "--limit", "1",
                "--no-ppl", "--stats-dir", cache.toString(), "--stats-file", tmp.resolve("no-layer.npz").toString());
        assertThat(bad.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(bad.err()).contains("no-layer.npz").contains("L=FILE");
        // a mis-shaped file stops the run before any edit, naming file, layer and shape (not an error row per case)
        Path small = NpzTestFiles.write(tmp.resolve("small.npz"), NpzTestFiles.romeLayout(new double[64 * 64], 64, 5,
                "<f4"), true);
        CliRun shape = CliRun.execute("edit", "--model", "bundled", "--cases",
                BundledModels.tinySuite("single-edit.json").toString(), "--method", "rome", "--limit", "1",
                "--no-ppl", "--stats-dir", cache.toString(), "--stats-file", "0=" + small, "--json");
        assertThat(shape.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(shape.err()).contains(small.toString()).contains("layer 0").contains("(64, 64)");
        assertThat(shape.out()).isEmpty();
    }

    @Test
    void misShapedFileIsAUsageErrorNamingFileLayerAndShape() throws Exception {
        Path bad = NpzTestFiles.write(tmp.resolve("wrong.npz"), NpzTestFiles.romeLayout(new double[128 * 128], 128, 5,
                "<f4"), false);
        Path cache = tmp.resolve("cache-bad");
        CliRun r = CliRun.execute("stats", "import", bad.toString(), "--model", "bundled", "--layer", "1",
                "--stats-dir", cache.toString());
        assertThat(r.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(r.err()).contains(bad.toString()).contains("layer 1").contains("(128, 128)").contains("512");
        assertThat(Files.exists(cache) ? Files.list(cache.resolve(Files.list(cache).findFirst().orElseThrow()
                .getFileName())).count() : 0).as("nothing cached").isZero();
    }

    @Test
    void helpOfTheImportModeExitsZeroAndAMissingLayerIsAUsageError() {
        CliRun r = CliRun.execute("stats", "import", "--help");
        assertThat(r.rc()).isZero();
        assertThat(r.out()).contains("Usage: editunit stats").contains("import FILE").contains("--layer=L")
                .contains("--sample");
        CliRun noLayer = CliRun.execute("stats", "import", npz.toString(), "--model", "bundled");
        assertThat(noLayer.rc()).isEqualTo(EditUnitCli.EXIT_USAGE);
        assertThat(noLayer.err()).contains("--layer L is required");
    }
}
