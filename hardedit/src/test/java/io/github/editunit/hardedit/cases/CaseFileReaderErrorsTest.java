package io.github.editunit.hardedit.cases;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaseFileReaderErrorsTest {

    @TempDir
    Path dir;

    private static final String GOOD_1 =
            CaseFiles.flat(0, "The mother tongue of Danielle Darrieux is", "Danielle Darrieux", "English", "French");
    private static final String GOOD_2 =
            CaseFiles.flat(5, "Thomas Joannes Stieltjes spoke the language", "Thomas Joannes Stieltjes", "English", "Dutch");

    /** Two good records (lines 2-11, 12-21) and a third starting at line 22, column 5. */
    private Path withThird(String name, String third) {
        return CaseFiles.write(dir, name, "[\n" + GOOD_1 + ",\n" + GOOD_2 + ",\n" + CaseFiles.indent(third) + "\n]\n");
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void missingFieldNamesFileLineRecordCaseIdAndField() {
        Path f = withThird("cases.json", """
                    {
                        "case_id": 7,
                        "prompt": "Edwin of Northumbria is affiliated with the religion",
                        "subject": "Edwin of Northumbria"
                    }""");
        assertThatThrownBy(() -> CaseFileReader.strict().read(f))
                .isInstanceOf(CaseFormatException.class)
                .hasMessage(file("cases.json") + ":22:5: record #3 (case_id 7): field \"target_new\" is missing");
    }

    @Test
    void wrongTypePointsAtTheField() {
        Path f = withThird("types.json", """
                    {
                        "case_id": 7,
                        "prompt": "Edwin of Northumbria is affiliated with the religion",
                        "subject": "Edwin of Northumbria",
                        "target_new": 42
                    }""");
        CaseFormatException e = catchStrict(f);
        assertThat(e).hasMessage(file("types.json")
                + ":26:9: record #3 (case_id 7): field \"target_new\" must be a string but is a number (42)");
        assertThat(e.problem().line()).isEqualTo(26);
        assertThat(e.problem().field()).isEqualTo("target_new");
        assertThat(e.problem().recordIndex()).isEqualTo(3);
        assertThat(e.problem().caseId()).isEqualTo("7");
    }

    @Test
    void subjectNotInPrompt() {
        Path f = withThird("subject.json", flatUnindented(7, "The mother tongue of X is", "Danielle Darrieux",
                "English", "French"));
        assertThat(catchStrict(f)).hasMessage(file("subject.json") + ":26:9: record #3 (case_id 7): field \"subject\": "
                + "\"Danielle Darrieux\" does not occur in prompt \"The mother tongue of X is\"");
    }

    @Test
    void malformedJsonGivesFileAndLine() {
        Path f = withThird("broken.json", """
                    {
                        "case_id": 7,
                        "prompt": "Velmora plays the"
                        "subject": "Velmora"
                    }""");
        CaseFormatException e = catchStrict(f);
        assertThat(e.getMessage()).startsWith(file("broken.json") + ":25:").contains("malformed JSON");
        assertThat(e.problem().line()).isEqualTo(25);
    }

    @Test
    void malformedJsonInLenientModeKeepsRecordsBeforeIt() {
        Path f = withThird("truncated.json", "    {\"case_id\": 7, \"prompt\": ");
        CaseReadResult result = CaseFileReader.lenient().read(f);
        assertThat(result.cases()).extracting(EditCase::caseId).containsExactly("0", "5");
        assertThat(result.errors()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file("truncated.json"));
            assertThat(p.line()).isGreaterThanOrEqualTo(22);
            assertThat(p.message()).contains("malformed JSON");
        });
    }

    @Test
    void emptyFile() {
        Path f = CaseFiles.write(dir, "empty.json", "");
        assertThat(catchStrict(f)).hasMessageStartingWith(file("empty.json") + ":1:1: file is empty");
        Path blank = CaseFiles.write(dir, "blank.json", "  \n\n");
        assertThat(CaseFileReader.lenient().read(blank).errors()).singleElement()
                .satisfies(p -> assertThat(p.message()).startsWith("file is empty"));
    }

    @Test
    void aFileWithoutRecordsIsAnError() {
        assertThat(catchStrict(CaseFiles.write(dir, "none.json", "[ ]\n"))).hasMessage(file("none.json")
                + ":1:1: no cases: the array of cases is empty; a case file needs at least one record");
        CaseReadResult wrapped = CaseFileReader.lenient().read(CaseFiles.write(dir, "wrapped.json", "{\"cases\": []}"));
        assertThat(wrapped.cases()).isEmpty();
        assertThat(wrapped.errors()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo(file("wrapped.json"));
            assertThat(p.message()).startsWith("no cases");
        });
        // records that are all rejected are reported as such, not as "no cases"
        CaseReadResult bad = CaseFileReader.lenient().read(CaseFiles.write(dir, "bad.json", "[\"x\"]"));
        assertThat(bad.errors()).singleElement().satisfies(p -> assertThat(p.message()).contains("must be a JSON object"));
    }

    @Test
    void aNeighbourAnsweringTheNewTargetCannotPassLocality() {
        Path f = CaseFiles.write(dir, "loc-target.json", """
                [
                  {"case_id": 1, "prompt": "Velmora plays the", "subject": "Velmora", "target_new": "harp",
                   "locality_prompt": "Brask plays the",
                   "locality_ground_truth": "harp"},
                  {"case_id": 2, "prompt": "Velmora plays the", "subject": "Velmora", "target_new": "harp",
                   "locality": [{"prompt": "Brask plays the", "ground_truth": "drums"},
                                {"prompt": "Tarin plays the", "ground_truth": "harp"}]},
                  {"case_id": 3, "prompt": "Velmora plays the", "subject": "Velmora", "target_new": "harp",
                   "locality": [{"prompt": "Brask plays the", "ground_truth": "harp"},
                                {"prompt": "Tarin plays the", "ground_truth": " harp"}]}
                ]""");
        CaseReadResult r = CaseFileReader.lenient().read(f);
        // case 2: one of two neighbours answers "harp"; locality can still reach 1/2, so it stays
        assertThat(r.cases()).extracting(EditCase::caseId).containsExactly("2");
        assertThat(r.errors()).extracting(CaseProblem::toString).containsExactly(
                file("loc-target.json") + ":4:4: record #1 (case_id 1): field \"locality_ground_truth\": \"harp\" (neighbour"
                        + " prompt \"Brask plays the\") equals target_new; locality compares P(ground truth) with"
                        + " P(target_new) on the neighbour prompt, so the locality check cannot pass",
                file("loc-target.json") + ":9:47: record #3 (case_id 3): field \"locality[0].ground_truth\": \"harp\""
                        + " (neighbour prompt \"Brask plays the\") equals target_new, as do the ground truths of all 2"
                        + " neighbours; locality compares P(ground truth) with P(target_new) on the neighbour prompt, so"
                        + " the locality check cannot pass");
    }

    @Test
    void duplicateCaseIds() {
        Path f = withThird("dups.json", flatUnindented(5, "Velmora spoke the language", "Velmora", "English", "Dutch"));
        assertThat(catchStrict(f)).hasMessage(file("dups.json")
                + ":23:9: record #3 (case_id 5): field \"case_id\": duplicate id 5, already used by record #2 (line 12)");
        CaseReadResult lenient = CaseFileReader.lenient().read(f);
        assertThat(lenient.cases()).extracting(EditCase::caseId).containsExactly("0", "5");
        assertThat(lenient.cases().get(1).subject()).isEqualTo("Thomas Joannes Stieltjes");
    }

    @Test
    void duplicateKeysInOneRecordAreMalformed() {
        Path f = CaseFiles.write(dir, "dupkey.json", "[\n  {\"prompt\": \"a\",\n   \"prompt\": \"b\"}\n]");
        CaseFormatException e = catchStrict(f);
        assertThat(e.getMessage()).startsWith(file("dupkey.json") + ":3:").contains("Duplicate field 'prompt'");
    }

    @Test
    void topLevelMustBeArrayOrWrapper() {
        assertThat(catchStrict(CaseFiles.write(dir, "str.json", "\"cases\"")))
                .hasMessage(file("str.json") + ":1:1: top level is a string; expected a JSON array of cases or an object wrapping one");
        assertThat(catchStrict(CaseFiles.write(dir, "noarray.json", "{\"a\": 1}")))
                .hasMessage(file("noarray.json") + ":1:1: top-level object has no array field holding the cases");
        assertThat(catchStrict(CaseFiles.write(dir, "twoarrays.json", "{\"a\": [], \"b\": []}")))
                .hasMessageContaining("has 2 array fields [a, b]");
        assertThat(catchStrict(CaseFiles.write(dir, "trailing.json", "[]\n[]")))
                .hasMessage(file("trailing.json") + ":2:1: unexpected content after the top-level value");
    }

    @Test
    void recordThatIsNotAnObject() {
        Path f = CaseFiles.write(dir, "scalar.json", "[\n  \"hello\"\n]");
        assertThat(catchStrict(f)).hasMessage(file("scalar.json")
                + ":2:3: record #1: record must be a JSON object but is a string (\"hello\")");
    }

    @Test
    void localityPromptWithoutGroundTruth() {
        Path f = CaseFiles.write(dir, "loc.json", """
                [{"case_id": 1, "prompt": "Velmora plays the", "subject": "Velmora", "target_new": "harp",
                  "locality_prompt": "Brask plays the"}]""");
        assertThat(catchStrict(f)).hasMessage(file("loc.json") + ":1:2: record #1 (case_id 1): field "
                + "\"locality_ground_truth\" is missing (required when locality_prompt is given)");
    }

    @Test
    void invalidExpectationBlankFieldsAndBraces() {
        Path f = CaseFiles.write(dir, "misc.json", """
                [
                  {"case_id": 1, "prompt": "Velmora plays the", "subject": "Velmora", "target_new": "harp", "expect": "maybe"},
                  {"case_id": 2, "prompt": "Velmora plays the", "subject": "Velmora", "target_new": "  "},
                  {"case_id": 3, "prompt": "{} Velmora plays the", "subject": "Velmora", "target_new": "harp"},
                  {"case_id": 4, "prompt": "Brask plays the", "subject": "Brask", "target_new": "harp", "tags": "x"},
                  {"case_id": 5, "prompt": "Brask plays the", "subject": "Brask", "target_new": "harp",
                   "locality": [{"prompt": "Tarin plays the"}]},
                  {"case_id": 6, "prompt": "Brask plays the", "subject": "Brask", "target_new": "harp"}
                ]""");
        CaseReadResult r = CaseFileReader.lenient().read(f);
        assertThat(r.cases()).extracting(EditCase::caseId).containsExactly("6");
        assertThat(r.errors()).extracting(CaseProblem::toString).containsExactly(
                file("misc.json") + ":2:93: record #1 (case_id 1): field \"expect\" must be \"collapse\" or \"pass\" but is \"maybe\"",
                file("misc.json") + ":3:71: record #2 (case_id 2): field \"target_new\" is blank",
                file("misc.json") + ":4:18: record #3 (case_id 3): field \"prompt\": \"{} Velmora plays the\" contains a brace"
                        + " ('{' or '}'), which breaks ROME's template formatting (the subject slot is \"{}\")",
                file("misc.json") + ":5:89: record #4 (case_id 4): field \"tags\" must be an array of strings but is a string (\"x\")",
                file("misc.json") + ":7:17: record #5 (case_id 5): field \"locality[0].ground_truth\" is missing");
    }

    @Test
    void counterFactTemplateMustHaveOneSlot() {
        Path f = CaseFiles.write(dir, "cf.json", """
                [{"case_id": 9, "requested_rewrite": {
                    "prompt": "The mother tongue of Danielle Darrieux is",
                    "subject": "Danielle Darrieux", "target_new": {"str": "English"}}},
                 {"case_id": 10, "requested_rewrite": "oops"},
                 {"case_id": 11, "requested_rewrite": {"prompt": "{} is", "subject": "Velmora"}}]""");
        CaseReadResult r = CaseFileReader.lenient().read(f);
        assertThat(r.cases()).isEmpty();
        assertThat(r.errors()).extracting(CaseProblem::toString).containsExactly(
                file("cf.json") + ":2:5: record #1 (case_id 9): field \"requested_rewrite.prompt\": \"The mother tongue of"
                        + " Danielle Darrieux is\" must contain \"{}\" exactly once but contains it 0 times",
                file("cf.json") + ":4:18: record #2 (case_id 10): field \"requested_rewrite\" must be an object but is a string (\"oops\")",
                file("cf.json") + ":5:18: record #3 (case_id 11): field \"requested_rewrite.target_new\" is missing");
    }

    @Test
    void lenientModeKeepsGoodRecordsAndListsProblems() {
        Path f = withThird("mixed.json", """
                    {
                        "case_id": 7,
                        "prompt": "Edwin of Northumbria is affiliated with the religion",
                        "subject": "Edwin of Northumbria"
                    },
                    {"case_id": 8, "prompt": "Velmora plays the", "subject": "Brask", "target_new": "harp"},
                    {"case_id": 9, "prompt": "Velmora plays the", "subject": "Velmora", "target_new": "harp"}""");
        CaseReadResult r = CaseFileReader.lenient().read(f);
        assertThat(r.cases()).extracting(EditCase::caseId).containsExactly("0", "5", "9");
        assertThat(r.isClean()).isFalse();
        assertThat(r.errors()).hasSize(2);
        assertThat(r.errors().get(0)).satisfies(p -> {
            assertThat(p.file()).isEqualTo(file("mixed.json"));
            assertThat(p.line()).isEqualTo(22);
            assertThat(p.field()).isEqualTo("target_new");
            assertThat(p.message()).isEqualTo("is missing");
        });
        assertThat(r.errors().get(1)).satisfies(p -> {
            assertThat(p.line()).isEqualTo(27);
            assertThat(p.field()).isEqualTo("subject");
            assertThat(p.recordIndex()).isEqualTo(4);
        });
    }

    @Test
    void warningsDoNotDropRecords() {
        Path f = CaseFiles.write(dir, "warn.json", """
                [{"case_id": 1, "prompt": "Velmora plays the", "subject": "Velmora", "target_new": " piano",
                  "ground_truth": "piano"}]""");
        CaseReadResult r = CaseFileReader.strict().read(f);
        assertThat(r.cases()).hasSize(1);
        assertThat(r.isClean()).isTrue();
        assertThat(r.warnings()).extracting(CaseProblem::toString).containsExactly(
                file("warn.json") + ":1:70: warning: record #1 (case_id 1): field \"target_new\" has leading or trailing"
                        + " whitespace; the editor adds the leading space itself",
                file("warn.json") + ":1:70: warning: record #1 (case_id 1): field \"target_new\": \" piano\" equals"
                        + " ground_truth; the edit changes nothing");
    }

    private static String flatUnindented(int id, String prompt, String subject, String targetNew, String truth) {
        return CaseFiles.flat(id, prompt, subject, targetNew, truth).replaceAll("(?m)^    ", "");
    }

    private static CaseFormatException catchStrict(Path f) {
        try {
            CaseFileReader.strict().read(f);
        } catch (CaseFormatException e) {
            return e;
        }
        throw new AssertionError("expected a CaseFormatException for " + f);
    }

    /** Found by CaseFileReaderFuzzTest (seed crash-invalid-utf8.json): used to escape as UncheckedIOException. */
    @Test
    void invalidUtf8IsAFileProblemNotACrash() throws java.io.IOException {
        Path f = dir.resolve("latin1.json");
        java.nio.file.Files.write(f, "[{\"prompt\": \"caf\u00e9\"}]".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CaseReadResult lenient = CaseFileReader.lenient().read(f);
        assertThat(lenient.cases()).isEmpty();
        assertThat(lenient.errors()).singleElement().hasToString(f + ": is not valid UTF-8 text; save it as UTF-8");
        assertThatThrownBy(() -> CaseFileReader.strict().read(f))
                .isInstanceOf(CaseFormatException.class)
                .hasMessage(f + ": is not valid UTF-8 text; save it as UTF-8");
    }

    /** Found by CaseFileReaderFuzzTest (seed crash-huge-exponent.json): used to escape as NumberFormatException. */
    @Test
    void numberBeyondBigDecimalIsReportedAsAWrongType() {
        Path f = CaseFiles.write(dir, "exp.json", "[{\"case_id\": 1e2000000071737, \"prompt\": \"p\"}]");
        CaseReadResult lenient = CaseFileReader.lenient().read(f);
        assertThat(lenient.cases()).isEmpty();
        assertThat(lenient.errors()).first().hasToString(f + ":1:3: record #1: field \"case_id\" must be an integer"
                + " or a string but is a number (\"Infinity\")");
    }
}
