package io.github.editunit.hardedit.cases;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes {@link CaseFileReader} on case files of every accepted shape (the seeds cover the flat
 * EasyEdit/CounterFact format, the original CounterFact {@code requested_rewrite} format, both
 * wrapped in an object, and the extended flat format). Contract: a lenient read never throws and
 * every problem names the file; a strict read returns the same cases or throws
 * {@link CaseFormatException} naming the file.
 */
class CaseFileReaderFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void read(byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve("cases.json"), bytes);
        String name = file.toString();

        CaseReadResult lenient = CaseFileReader.lenient().read(file);
        for (CaseProblem p : lenient.problems()) {
            assertThat(p.file()).isEqualTo(name);
            assertThat(p.toString()).startsWith(name + ":");
        }
        for (EditCase c : lenient.cases()) {
            assertThat(c.source().file()).isEqualTo(name);
            assertThat(c.prompt()).isNotNull();
            assertThat(c.subject()).isNotNull();
            assertThat(c.targetNew()).isNotNull();
        }

        try {
            CaseReadResult strict = CaseFileReader.strict().read(file);
            assertThat(lenient.isClean()).isTrue();
            assertThat(strict.cases()).isEqualTo(lenient.cases());
        } catch (CaseFormatException e) {
            assertThat(lenient.isClean()).isFalse();
            assertThat(e.problem().file()).isEqualTo(name);
            assertThat(e.getMessage()).startsWith(name + ":");
        }
    }
}
