package io.github.editunit.hardedit.cases;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads edit-case files in every accepted shape:
 * <ul>
 *   <li>the EasyEdit flat array ({@code case_id, prompt, target_new, subject, ground_truth,
 *       rephrase_prompt, locality_prompt, locality_ground_truth});</li>
 *   <li>our extended flat format: the flat keys plus {@code rephrase_prompts}, {@code locality}
 *       (array of {@code {"prompt", "ground_truth"}}), {@code relation}, {@code tags}, {@code expect};</li>
 *   <li>the original CounterFact format (records with {@code requested_rewrite});</li>
 *   <li>any of these wrapped in an object: {@code {"cases": [...]}} or an object with a single array field.</li>
 * </ul>
 * Every problem names the file, line and column, the 1-based record number, the case id and the field.
 * A file without records (an empty file, {@code []}, {@code {"cases": []}}) is an error.
 * A {@link #strict() strict} reader throws {@link CaseFormatException} on the first error; a
 * {@link #lenient() lenient} reader drops bad records and returns them as problems. Warnings never drop
 * a record. A record without {@code case_id} gets its 0-based position in the array as id.
 */
public final class CaseFileReader {

    private final boolean strict;
    private final CaseValidator validator = new CaseValidator();
    private final JsonFactory json = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CaseFileReader(boolean strict) {
        this.strict = strict;
    }

    /** A reader that throws {@link CaseFormatException} on the first error. */
    public static CaseFileReader strict() {
        return new CaseFileReader(true);
    }

    /** A reader that keeps the good records and reports the bad ones as problems. */
    public static CaseFileReader lenient() {
        return new CaseFileReader(false);
    }

    /** Shortcut for {@code strict().read(file).cases()}. */
    public static List<EditCase> readStrict(Path file) {
        return strict().read(file).cases();
    }

    /** Reads a UTF-8 file; messages use {@code file.toString()} as its name. */
    public CaseReadResult read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Reads a UTF-8 stream; {@code name} is used in messages. */
    public CaseReadResult read(InputStream in, String name) {
        return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), name);
    }

    /** Reads characters; {@code name} is used in messages. */
    public CaseReadResult read(Reader in, String name) {
        Session session = new Session(name);
        try (JsonParser parser = json.createParser(skipBom(in))) {
            session.readDocument(parser);
        } catch (JsonProcessingException e) {
            LocatedValue.Position at = LocatedTreeReader.position(e.getLocation());
            session.fileProblem(at, "malformed JSON: " + e.getOriginalMessage(), e);
        } catch (CharacterCodingException e) {
            // the decoder does not say where: line 0 (unknown)
            session.fileProblem(new LocatedValue.Position(0, 0), "is not valid UTF-8 text; save it as UTF-8", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
        return new CaseReadResult(session.cases, session.problems.problems());
    }

    private static Reader skipBom(Reader in) throws IOException {
        Reader buffered = in.markSupported() ? in : new BufferedReader(in);
        buffered.mark(1);
        if (buffered.read() != '\uFEFF') {
            buffered.reset();
        }
        return buffered;
    }

    /** State of one read. */
    private final class Session {
        final String name;
        final ProblemCollector problems = new ProblemCollector(strict);
        final List<EditCase> cases = new ArrayList<>();
        final CaseValidator.DuplicateIds ids = new CaseValidator.DuplicateIds();
        int recordIndex;

        Session(String name) {
            this.name = name;
        }

        void readDocument(JsonParser p) throws IOException {
            JsonToken first = p.nextToken();
            if (first == null) {
                fileProblem(new LocatedValue.Position(1, 1),
                        "file is empty; expected a JSON array of cases or an object wrapping one", null);
                return;
            }
            LocatedValue.Position start = LocatedTreeReader.position(p.currentTokenLocation());
            boolean hasArray = true;
            if (first == JsonToken.START_ARRAY) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    record(LocatedTreeReader.read(p));
                }
            } else if (first == JsonToken.START_OBJECT) {
                hasArray = readWrapper(p);
            } else {
                fileProblem(LocatedTreeReader.position(p.currentTokenLocation()),
                        "top level is " + describe(first) + "; expected a JSON array of cases or an object wrapping one",
                        null);
                return;
            }
            if (p.nextToken() != null) {
                fileProblem(LocatedTreeReader.position(p.currentTokenLocation()),
                        "unexpected content after the top-level value", null);
            } else if (hasArray && recordIndex == 0) {
                fileProblem(start, "no cases: the array of cases is empty; a case file needs at least one record",
                        null);
            }
        }

        /**
         * An object wrapping the array: {"cases": [...]} or any single array-valued field.
         *
         * @return false when no array holding the cases was found (reported)
         */
        boolean readWrapper(JsonParser p) throws IOException {
            LocatedValue.Position objectStart = LocatedTreeReader.position(p.currentTokenLocation());
            Map<String, List<LocatedValue>> arrays = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                if (p.nextToken() == JsonToken.START_ARRAY) {
                    List<LocatedValue> elements = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        elements.add(LocatedTreeReader.read(p));
                    }
                    arrays.put(field, elements);
                } else {
                    p.skipChildren();
                }
            }
            List<LocatedValue> chosen;
            if (arrays.size() == 1) {
                chosen = arrays.values().iterator().next();
            } else if (arrays.containsKey(CaseJsonKeys.WRAPPER_CASES)) {
                chosen = arrays.get(CaseJsonKeys.WRAPPER_CASES);
            } else {
                fileProblem(objectStart, arrays.isEmpty()
                        ? "top-level object has no array field holding the cases"
                        : "top-level object has " + arrays.size() + " array fields " + arrays.keySet()
                        + "; name the one holding the cases \"cases\"", null);
                return false;
            }
            for (LocatedValue v : chosen) {
                record(v);
            }
            return true;
        }

        void record(LocatedValue value) {
            recordIndex++;
            RecordFields f = new RecordFields(value, name, recordIndex, problems);
            if (!value.node().isObject()) {
                f.error(null, "record must be a JSON object but is " + RecordFields.describe(value.node()), false);
                return;
            }
            EditCase c = RecordMapper.map(value, f, recordIndex);
            if (c == null) {
                return;
            }
            FieldLocator at = RecordMapper.locator(value, f);
            boolean bad = false;
            for (CaseProblem problem : validator.validate(c, recordIndex, at)) {
                problems.add(problem);
                bad |= problem.isError();
            }
            if (bad) {
                return;
            }
            CaseProblem duplicate = ids.check(c, recordIndex, at);
            if (duplicate != null) {
                problems.add(duplicate);
                return;
            }
            cases.add(c);
        }

        void fileProblem(LocatedValue.Position at, String message, Throwable cause) {
            CaseProblem problem = new CaseProblem(CaseProblem.Severity.ERROR, name, at.line(), at.column(), 0,
                    null, null, message);
            if (strict) {
                throw cause == null ? new CaseFormatException(problem) : new CaseFormatException(problem, cause);
            }
            problems.add(problem);
        }
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.toString();
        }
    }
}
