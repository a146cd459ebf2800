package io.github.editunit.hardedit.cases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: writes inline JSON to a file in a temp dir. */
final class CaseFiles {

    private CaseFiles() {
    }

    static Path write(Path dir, String name, String content) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Indents every line by four spaces, as a record inside a 4-space-indented array. */
    static String indent(String record) {
        return record.replaceAll("(?m)^", "    ");
    }

    /** One flat record with 4-space indent inside an array (opening brace at column 5). */
    static String flat(int id, String prompt, String subject, String targetNew, String groundTruth) {
        return """
                    {
                        "case_id": %d,
                        "prompt": "%s",
                        "target_new": "%s",
                        "subject": "%s",
                        "ground_truth": "%s",
                        "rephrase_prompt": "Where %s is from, people speak the language of",
                        "locality_prompt": "Michel Rocard is a native speaker of",
                        "locality_ground_truth": "%s"
                    }""".formatted(id, prompt, targetNew, subject, groundTruth, subject, groundTruth).indent(0)
                .stripTrailing().replaceAll("(?m)^", "    ");
    }
}
