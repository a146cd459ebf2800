package io.github.editunit.hardedit.cases;

import java.util.List;

/** JSON key names of the accepted case formats. */
final class CaseJsonKeys {

    static final String CASE_ID = "case_id";
    static final String PROMPT = "prompt";
    static final String TARGET_NEW = "target_new";
    static final String SUBJECT = "subject";
    static final String GROUND_TRUTH = "ground_truth";
    static final String REPHRASE_PROMPT = "rephrase_prompt";
    static final String LOCALITY_PROMPT = "locality_prompt";
    static final String LOCALITY_GROUND_TRUTH = "locality_ground_truth";

    /** The EasyEdit flat format's keys, in the order EasyEdit's CounterFact files use. */
    static final List<String> FLAT_KEYS = List.of(CASE_ID, PROMPT, TARGET_NEW, SUBJECT, GROUND_TRUTH,
            REPHRASE_PROMPT, LOCALITY_PROMPT, LOCALITY_GROUND_TRUTH);

    // extended flat format
    static final String REPHRASE_PROMPTS = "rephrase_prompts";
    static final String LOCALITY = "locality";
    static final String RELATION = "relation";
    static final String RELATION_ID = "relation_id";
    static final String TAGS = "tags";
    static final String EXPECT = "expect";

    // original CounterFact format
    static final String REQUESTED_REWRITE = "requested_rewrite";
    static final String RR_PROMPT = "requested_rewrite.prompt";
    static final String RR_SUBJECT = "requested_rewrite.subject";
    static final String RR_TARGET_NEW = "requested_rewrite.target_new";
    static final String RR_TARGET_TRUE = "requested_rewrite.target_true";
    static final String RR_RELATION_ID = "requested_rewrite.relation_id";
    static final String PARAPHRASE_PROMPTS = "paraphrase_prompts";
    static final String NEIGHBORHOOD_PROMPTS = "neighborhood_prompts";

    /** Names of the wrapper fields preferred when a top-level object has several arrays. */
    static final String WRAPPER_CASES = "cases";

    private CaseJsonKeys() {
    }
}
