package io.github.editunit.hardedit.cases;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import static io.github.editunit.hardedit.cases.CaseJsonKeys.*;

/**
 * Turns one located JSON record into an {@link EditCase}: the flat (EasyEdit and extended) format,
 * or the original CounterFact format when {@code requested_rewrite} is present.
 */
final class RecordMapper {

    /** Flat field name to original-CounterFact path, for messages and positions. */
    private static final Map<String, String> COUNTERFACT_PATHS = Map.of(
            PROMPT, RR_PROMPT,
            SUBJECT, RR_SUBJECT,
            TARGET_NEW, RR_TARGET_NEW,
            GROUND_TRUTH, RR_TARGET_TRUE,
            REPHRASE_PROMPT, PARAPHRASE_PROMPTS,
            LOCALITY_PROMPT, NEIGHBORHOOD_PROMPTS,
            LOCALITY_GROUND_TRUTH, RR_TARGET_TRUE);

    private RecordMapper() {
    }

    /** True when the record is in the original CounterFact format. */
    static boolean isCounterFact(LocatedValue record) {
        return record.node().has(REQUESTED_REWRITE);
    }

    /** Maps the record, or returns null when it has errors (already reported through {@code f}). */
    static EditCase map(LocatedValue record, RecordFields f, int recordIndex) {
        String id = f.optionalId(CASE_ID);
        f.caseId(id != null ? id : String.valueOf(recordIndex - 1));
        return isCounterFact(record) ? mapCounterFact(f) : mapFlat(f);
    }

    /** The locator for validator messages: original-format records name their nested paths. */
    static FieldLocator locator(LocatedValue record, RecordFields f) {
        boolean original = isCounterFact(record);
        return new FieldLocator() {
            @Override
            public String path(String flatField) {
                return original ? COUNTERFACT_PATHS.getOrDefault(flatField, flatField) : flatField;
            }

            @Override
            public CaseSource source(String flatField) {
                return f.sourceOf(path(flatField));
            }

            @Override
            public String neighbourTruthField(String value) {
                return original ? LOCALITY_GROUND_TRUTH : flatNeighbourTruthPath(f, value);
            }
        };
    }

    /** The path of the first flat-format neighbour ground truth equal to {@code value}. */
    private static String flatNeighbourTruthPath(RecordFields f, String value) {
        JsonNode flat = f.node(LOCALITY_GROUND_TRUTH);
        if (flat != null && flat.isArray()) {
            for (int i = 0; i < flat.size(); i++) {
                if (flat.get(i).isValueNode() && flat.get(i).asText().strip().equals(value.strip())) {
                    return LOCALITY_GROUND_TRUTH + "[" + i + "]";
                }
            }
        } else if (flat != null && flat.isValueNode() && flat.asText().strip().equals(value.strip())) {
            return LOCALITY_GROUND_TRUTH;
        }
        JsonNode list = f.node(LOCALITY);
        if (list != null && list.isArray()) {
            for (int i = 0; i < list.size(); i++) {
                JsonNode truth = list.get(i).get(GROUND_TRUTH);
                if (truth != null && truth.isValueNode() && truth.asText().strip().equals(value.strip())) {
                    return LOCALITY + "[" + i + "]." + GROUND_TRUTH;
                }
            }
        }
        return LOCALITY_GROUND_TRUTH;
    }

    private static EditCase mapFlat(RecordFields f) {
        String prompt = f.requiredString(PROMPT);
        String subject = f.requiredString(SUBJECT);
        String targetNew = f.requiredStringOrStr(TARGET_NEW);
        String groundTruth = f.optionalStringOrStr(GROUND_TRUTH);
        List<String> paraphrases = merge(stringOrList(f, REPHRASE_PROMPT), f.optionalStringList(REPHRASE_PROMPTS));
        List<NeighbourPrompt> neighbours = merge(flatLocality(f), localityArray(f));
        String relation = f.has(RELATION) ? f.optionalString(RELATION) : f.optionalString(RELATION_ID);
        List<String> tags = f.optionalStringList(TAGS);
        Expectation expectation = expectation(f);
        if (f.hasErrors()) {
            return null;
        }
        return new EditCase(f.caseId(), prompt, subject, targetNew, groundTruth, paraphrases, neighbours,
                relation, new LinkedHashSet<>(tags), expectation, f.recordSource());
    }

    private static EditCase mapCounterFact(RecordFields f) {
        JsonNode rewrite = f.node(REQUESTED_REWRITE);
        if (!rewrite.isObject()) {
            f.error(REQUESTED_REWRITE, "must be an object but is " + RecordFields.describe(rewrite), true);
            return null;
        }
        String template = f.requiredString(RR_PROMPT);
        String subject = f.requiredString(RR_SUBJECT);
        String targetNew = f.requiredStringOrStr(RR_TARGET_NEW);
        String targetTrue = f.optionalStringOrStr(RR_TARGET_TRUE);
        String relation = f.optionalString(RR_RELATION_ID);
        List<String> paraphrases = f.optionalStringList(PARAPHRASE_PROMPTS);
        List<String> neighbourPrompts = f.optionalStringList(NEIGHBORHOOD_PROMPTS);
        List<String> tags = f.optionalStringList(TAGS);
        Expectation expectation = expectation(f);
        String prompt = null;
        if (template != null) {
            int slots = countSlots(template);
            if (slots != 1) {
                f.error(RR_PROMPT, ": \"" + template + "\" must contain \"{}\" exactly once but contains it "
                        + slots + " times", true);
            } else if (subject != null) {
                prompt = template.replace("{}", subject);
            }
        }
        if (!neighbourPrompts.isEmpty() && targetTrue == null && !f.hasErrors()) {
            f.error(RR_TARGET_TRUE, "is missing (it is the ground truth of neighborhood_prompts)", false);
        }
        if (f.hasErrors()) {
            return null;
        }
        List<NeighbourPrompt> neighbours = new ArrayList<>();
        for (String p : neighbourPrompts) {
            neighbours.add(new NeighbourPrompt(p, targetTrue));
        }
        return new EditCase(f.caseId(), prompt, subject, targetNew, targetTrue, paraphrases, neighbours,
                relation, new LinkedHashSet<>(tags), expectation, f.recordSource());
    }

    private static int countSlots(String template) {
        int n = 0;
        for (int i = template.indexOf("{}"); i >= 0; i = template.indexOf("{}", i + 2)) {
            n++;
        }
        return n;
    }

    /** A string or an array of strings (some EasyEdit variants use lists). */
    private static List<String> stringOrList(RecordFields f, String key) {
        JsonNode n = f.node(key);
        if (n != null && n.isArray()) {
            return f.optionalStringList(key);
        }
        String s = f.optionalString(key);
        return s == null ? List.of() : List.of(s);
    }

    private static List<NeighbourPrompt> flatLocality(RecordFields f) {
        List<String> prompts = stringOrList(f, LOCALITY_PROMPT);
        boolean hasTruth = f.has(LOCALITY_GROUND_TRUTH);
        if (prompts.isEmpty()) {
            if (hasTruth && !f.has(LOCALITY_PROMPT)) {
                f.warning(LOCALITY_GROUND_TRUTH, "is ignored because locality_prompt is missing");
            }
            return List.of();
        }
        if (!hasTruth) {
            f.error(LOCALITY_GROUND_TRUTH, "is missing (required when locality_prompt is given)", false);
            return List.of();
        }
        List<String> truths = stringOrList(f, LOCALITY_GROUND_TRUTH);
        if (truths.size() != prompts.size()) {
            if (!f.hasErrors()) {
                f.error(LOCALITY_GROUND_TRUTH, "has " + truths.size() + " entries but locality_prompt has "
                        + prompts.size(), true);
            }
            return List.of();
        }
        List<NeighbourPrompt> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            out.add(new NeighbourPrompt(prompts.get(i), truths.get(i)));
        }
        return out;
    }

    private static List<NeighbourPrompt> localityArray(RecordFields f) {
        JsonNode n = f.node(LOCALITY);
        List<NeighbourPrompt> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isArray()) {
            f.error(LOCALITY, "must be an array of {\"prompt\", \"ground_truth\"} objects but is "
                    + RecordFields.describe(n), true);
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            String path = LOCALITY + "[" + i + "]";
            if (!n.get(i).isObject()) {
                f.error(path, "must be an object {\"prompt\", \"ground_truth\"} but is "
                        + RecordFields.describe(n.get(i)), true);
                continue;
            }
            String prompt = f.requiredString(path + "." + PROMPT);
            String truth = f.requiredString(path + "." + GROUND_TRUTH);
            if (prompt != null && truth != null) {
                out.add(new NeighbourPrompt(prompt, truth));
            }
        }
        return out;
    }

    private static Expectation expectation(RecordFields f) {
        String value = f.optionalString(EXPECT);
        if (value == null) {
            return null;
        }
        return Expectation.fromJson(value).orElseGet(() -> {
            f.error(EXPECT, "must be \"collapse\" or \"pass\" but is \"" + value + "\"", true);
            return null;
        });
    }

    /**
     * The flat single value followed by the list, unless the list already contains it (the extended
     * writer repeats the first paraphrase/neighbour in the flat keys).
     */
    private static <T> List<T> merge(List<T> single, List<T> list) {
        if (list.isEmpty()) {
            return single;
        }
        if (list.containsAll(single)) {
            return list;
        }
        List<T> out = new ArrayList<>(single);
        out.addAll(list);
        return out;
    }
}
