package io.github.editunit.framework.safetensors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsed and validated safetensors header: metadata plus tensor entries in header order.
 *
 * @param metadata the {@code __metadata__} map (empty if absent)
 * @param tensors tensor entries by name, in header order
 */
record SafetensorsHeader(Map<String, String> metadata, Map<String, TensorInfo> tensors) {

    /** Largest header accepted, as in the reference implementation. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '(.*)'");

    private static final ObjectMapper MAPPER = new ObjectMapper(
            JsonFactory.builder().enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build());

    /**
     * Checks the 8-byte header length against the file size before anything is allocated.
     *
     * @param file file label for messages
     * @param headerLength the header length as read (unsigned, so negative means >= 2^63)
     * @param fileSize total file size in bytes
     */
    static void checkHeaderLength(String file, long headerLength, long fileSize)
            throws SafetensorsFormatException {
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new SafetensorsFormatException(file, null, "header length "
                    + Long.toUnsignedString(headerLength) + " is absurd (cap is " + MAX_HEADER_BYTES
                    + " bytes); not a safetensors file?");
        }
        if (headerLength > fileSize - 8) {
            throw new SafetensorsFormatException(file, null, "header length " + headerLength
                    + " exceeds the " + (fileSize - 8) + " bytes after the length field (file size "
                    + fileSize + "); file truncated or not safetensors");
        }
        if (headerLength < 2) {
            throw new SafetensorsFormatException(file, null, "header length " + headerLength
                    + " is too small for a JSON object");
        }
    }

    /**
     * Parses and validates a header.
     *
     * @param file file label for messages
     * @param json the header bytes (UTF-8 JSON, possibly space-padded)
     * @param dataSize size of the data buffer that follows the header
     */
    static SafetensorsHeader parse(String file, byte[] json, long dataSize)
            throws SafetensorsFormatException {
        if (json[0] != '{') {
            throw new SafetensorsFormatException(file, null,
                    "header is not a JSON object (starts with " + describeByte(json[0]) + ")");
        }
        Map<String, String> metadata = Collections.emptyMap();
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        String current = null;
        try (JsonParser p = MAPPER.createParser(json)) {
            p.nextToken();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                current = p.currentName();
                if (!seen.add(current)) {
                    throw new SafetensorsFormatException(file, current.equals(METADATA_KEY) ? null : current,
                            "duplicate key \"" + current + "\" in header");
                }
                p.nextToken();
                JsonNode value = p.readValueAsTree();
                if (current.equals(METADATA_KEY)) {
                    metadata = parseMetadata(file, value);
                } else {
                    tensors.put(current, parseTensor(file, current, value, dataSize));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw new SafetensorsFormatException(file, null, "header JSON is malformed near " + t);
            }
            current = null;
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new SafetensorsFormatException(file, null,
                        "header has trailing content after the JSON object: " + trailing);
            }
        } catch (JsonProcessingException e) {
            Matcher dup = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
            if (dup.matches() && e.getProcessor() instanceof JsonParser p
                    && p.getParsingContext().getParent() != null && p.getParsingContext().getParent().inRoot()) {
                String key = dup.group(1); // a top-level key: a tensor name or __metadata__
                throw new SafetensorsFormatException(file, key.equals(METADATA_KEY) ? null : key,
                        "duplicate key \"" + key + "\" in header", e);
            }
            String where = current == null ? "" : " (at key \"" + current + "\")";
            throw new SafetensorsFormatException(file, null,
                    "header is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (SafetensorsFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new SafetensorsFormatException(file, null, "header unreadable: " + e.getMessage(), e);
        }
        checkOverlaps(file, tensors.values());
        return new SafetensorsHeader(Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(tensors));
    }

    private static String describeByte(byte b) {
        return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
    }

    private static Map<String, String> parseMetadata(String file, JsonNode node)
            throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, null,
                    "\"__metadata__\" must be a JSON object of strings, got " + abbreviate(node));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new SafetensorsFormatException(file, null, "\"__metadata__\" key \"" + e.getKey()
                        + "\": value must be a string, got " + abbreviate(e.getValue()));
            }
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return metadata;
    }

    private static TensorInfo parseTensor(String file, String name, JsonNode node, long dataSize)
            throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, name,
                    "entry must be a JSON object with dtype, shape and data_offsets, got " + abbreviate(node));
        }
        JsonNode dtypeNode = required(file, name, node, "dtype");
        if (!dtypeNode.isTextual()) {
            throw new SafetensorsFormatException(file, name,
                    "field \"dtype\" must be a string, got " + abbreviate(dtypeNode));
        }
        DType dtype = DType.fromHeader(dtypeNode.textValue()).orElseThrow(() ->
                new SafetensorsFormatException(file, name, "field \"dtype\": unknown dtype \""
                        + dtypeNode.textValue() + "\" (known: " + Arrays.toString(DType.values()) + ")"));
        long[] shape = longArray(file, name, required(file, name, node, "shape"), "shape", -1);
        long[] offsets = longArray(file, name, required(file, name, node, "data_offsets"), "data_offsets", 2);
        String shapeText = Arrays.toString(shape);
        String offsetsText = Arrays.toString(offsets);
        long elements = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new SafetensorsFormatException(file, name,
                        "field \"shape\" " + shapeText + " has negative dimension " + d);
            }
        }
        long bytes;
        try {
            for (long d : shape) {
                elements = Math.multiplyExact(elements, d);
            }
            bytes = Math.multiplyExact(elements, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsFormatException(file, name, "field \"shape\" " + shapeText
                    + ": element count or byte size of " + dtype + " overflows 64 bits");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || end < 0) {
            throw new SafetensorsFormatException(file, name,
                    "field \"data_offsets\" " + offsetsText + " must not be negative");
        }
        if (end < begin) {
            throw new SafetensorsFormatException(file, name,
                    "field \"data_offsets\" " + offsetsText + ": end is before begin");
        }
        if (end - begin != bytes) {
            throw new SafetensorsFormatException(file, name, "data_offsets " + offsetsText + " hold "
                    + (end - begin) + " bytes but shape " + shapeText + " of " + dtype + " needs " + bytes);
        }
        if (end > dataSize) {
            throw new SafetensorsFormatException(file, name, "data_offsets " + offsetsText
                    + " exceed the data buffer of " + dataSize + " bytes (file truncated?)");
        }
        return new TensorInfo(name, dtype, shape, begin, end);
    }

    private static JsonNode required(String file, String name, JsonNode node, String field)
            throws SafetensorsFormatException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new SafetensorsFormatException(file, name, "missing field \"" + field + "\"");
        }
        return value;
    }

    private static long[] longArray(String file, String name, JsonNode node, String field, int length)
            throws SafetensorsFormatException {
        if (!node.isArray()) {
            throw new SafetensorsFormatException(file, name,
                    "field \"" + field + "\" must be an array of integers, got " + abbreviate(node));
        }
        if (length >= 0 && node.size() != length) {
            throw new SafetensorsFormatException(file, name, "field \"" + field + "\" must have "
                    + length + " elements, got " + abbreviate(node));
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = node.get(i);
            if (!e.isIntegralNumber() || !e.canConvertToLong()) {
                throw new SafetensorsFormatException(file, name, "field \"" + field + "\" element " + i
                        + " must be an integer within 64 bits, got " + abbreviate(e));
            }
            out[i] = e.longValue();
        }
        return out;
    }

    private static void checkOverlaps(String file, Iterable<TensorInfo> tensors)
            throws SafetensorsFormatException {
        List<TensorInfo> sorted = new ArrayList<>();
        for (TensorInfo t : tensors) {
            if (t.end() > t.begin()) { // zero-byte tensors occupy nothing and cannot overlap
                sorted.add(t);
            }
        }
        sorted.sort(Comparator.comparingLong(TensorInfo::begin));
        for (int i = 1; i < sorted.size(); i++) {
            TensorInfo prev = sorted.get(i - 1);
            TensorInfo next = sorted.get(i);
            if (next.begin() < prev.end()) {
                throw new SafetensorsFormatException(file, next.name(), "data_offsets ["
                        + next.begin() + ", " + next.end() + "] overlap those of tensor \"" + prev.name()
                        + "\" [" + prev.begin() + ", " + prev.end() + "]");
            }
        }
    }

    private static String abbreviate(JsonNode node) {
        String s = node.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
