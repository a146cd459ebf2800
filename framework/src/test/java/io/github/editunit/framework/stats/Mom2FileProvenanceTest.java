package io.github.editunit.framework.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provenance in {@code .mom2} headers: written, read back, and absent in files of earlier versions. */
class Mom2FileProvenanceTest {

    @TempDir
    Path dir;

    static final double[] C = {2, 0.5, 0.5, 1};

    /** A file as EditUnit wrote it before provenance existed (header without "provenance"). */
    static byte[] legacyFile(String header, double[] m) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Mom2File.MAGIC);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
        out.write(h);
        ByteBuffer b = ByteBuffer.allocate(8 * m.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : m) {
            b.putDouble(v);
        }
        out.write(b.array());
        out.write(MessageDigest.getInstance("SHA-256").digest(out.toByteArray()));
        return out.toByteArray();
    }

    @Test
    void filesWithoutProvenanceAreComputedFromTheFirstTexts() throws Exception {
        Path f = Files.write(dir.resolve("old.mom2"), legacyFile("{\"format\":\"editunit-mom2\",\"version\":1,"
                + "\"modelHash\":\"m\",\"corpusName\":\"c.txt\",\"corpusHash\":\"h\",\"layer\":3,\"sampleCount\":7,"
                + "\"tokenCount\":40,\"dim\":2,\"dtype\":\"float64\"}", C));
        SecondMomentStatistics s = Mom2File.read(f);
        assertThat(s.matrix()).containsExactly(C);
        assertThat(s.metadata().provenance())
                .isEqualTo(StatsProvenance.computed("c.txt", 40, StatsSampling.FIRST, 7));
    }

    @Test
    void publishedAndRandomProvenanceRoundTripThroughTheHeader() throws Exception {
        StatsProvenance published = StatsProvenance.published("x_mom2_9.npz", "ab".repeat(32), 40, "float32", 9);
        StatsProvenance random = StatsProvenance.computed("c.txt", 40, StatsSampling.random(-4), 7);
        for (StatsProvenance p : new StatsProvenance[] {published, random}) {
            StatsMetadata m = new StatsMetadata("m", p.source(), "h", 1, p.sampleSize(), 40, 2, "float64", p);
            Path f = dir.resolve(p.kind() + ".mom2");
            Mom2File.write(new SecondMomentStatistics(m, C.clone()), f);
            assertThat(Mom2File.read(f).metadata()).isEqualTo(m);
            assertThat(Mom2File.readMetadata(f)).isEqualTo(m);
        }
    }

    @Test
    void aBadProvenanceIsANamedError() throws Exception {
        Path f = Files.write(dir.resolve("bad.mom2"), legacyFile("{\"format\":\"editunit-mom2\",\"version\":1,"
                + "\"modelHash\":\"m\",\"corpusName\":\"c.txt\",\"corpusHash\":\"h\",\"layer\":3,\"sampleCount\":7,"
                + "\"tokenCount\":40,\"dim\":2,\"dtype\":\"float64\",\"provenance\":{\"kind\":\"guessed\"}}", C));
        assertThatThrownBy(() -> Mom2File.read(f)).isInstanceOf(StatsFileException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("provenance.kind 'guessed'");
    }
}
