package io.github.editunit.hardedit.cases;

/**
 * Maps the logical (flat-format) field names used by {@link CaseValidator} to the key path and
 * position of the field in the file the case was read from.
 */
interface FieldLocator {

    /** The key path to name in messages, e.g. {@code requested_rewrite.subject} for {@code subject}. */
    String path(String flatField);

    /** Where that field is, or the record's own position. */
    CaseSource source(String flatField);

    /**
     * The field holding a neighbour's ground truth {@code value}, as accepted by {@link #path} and
     * {@link #source} (e.g. {@code locality[1].ground_truth}); by default the flat name.
     */
    default String neighbourTruthField(String value) {
        return CaseJsonKeys.LOCALITY_GROUND_TRUTH;
    }

    /** A locator that names flat fields and points every field at the record's source. */
    static FieldLocator of(EditCase c) {
        return new FieldLocator() {
            @Override
            public String path(String flatField) {
                return flatField;
            }

            @Override
            public CaseSource source(String flatField) {
                return c.source();
            }
        };
    }
}
