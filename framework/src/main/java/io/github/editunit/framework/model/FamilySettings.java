package io.github.editunit.framework.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The family-specific part of a {@code config.json} (rotary settings, grouped-query heads, tied
 * head, ...), read and written by the family's own package. GPT-2 has none ({@code null}).
 */
public interface FamilySettings {

    /** Width of one attention head. */
    default int headWidth(ModelConfig core) {
        return core.width() / core.heads();
    }

    /** The whole Hugging Face {@code config.json} object for {@code core} with these settings. */
    ObjectNode toJson(ModelConfig core);

    /** One line for {@code model-info}: heads, kv-heads, rotary settings, tied head. */
    String describe(ModelConfig core);

    /** Structured {@code model-info} fields: kvHeads, headWidth, rope, tiedHead, ... */
    java.util.Map<String, Object> info(ModelConfig core);
}
