package io.github.editunit.reports;

/** Words the engine's failure messages start with, so reports can categorise them. */
public final class FailureKinds {

    /** Start of a non-collapse failure: "model collapsed: perplexity rose from …". */
    public static final String COLLAPSE = "model collapsed";
    /** Start of an efficacy or generalisation failure. */
    public static final String NOT_TAKEN = "edit not taken";
    /** Start of a locality failure. */
    public static final String LOCALITY = "locality broken";
    /** Start of a knowledge-retained failure: "knowledge lost: recall of 300 untouched facts … fell from …". */
    public static final String KNOWLEDGE_LOST = "knowledge lost";

    private FailureKinds() {}
}
