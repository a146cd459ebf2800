package io.github.editunit.hardedit.cases;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Builds a Jackson tree from a streaming parser while remembering where every value starts. */
final class LocatedTreeReader {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private LocatedTreeReader() {
    }

    /** Reads the value at the parser's current token (which must be set). */
    static LocatedValue read(JsonParser parser) throws IOException {
        LocatedValue.Position start = position(parser.currentTokenLocation());
        Map<String, LocatedValue.Position> positions = new HashMap<>();
        JsonNode node = readValue(parser, "", positions);
        return new LocatedValue(node, start, positions);
    }

    static LocatedValue.Position position(JsonLocation location) {
        return new LocatedValue.Position(location.getLineNr(), location.getColumnNr());
    }

    private static JsonNode readValue(JsonParser p, String path, Map<String, LocatedValue.Position> positions)
            throws IOException {
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    positions.put(childPath, position(p.currentTokenLocation()));
                    p.nextToken();
                    object.set(key, readValue(p, childPath, positions));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    String childPath = path + "[" + i++ + "]";
                    positions.put(childPath, position(p.currentTokenLocation()));
                    array.add(readValue(p, childPath, positions));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return NODES.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT:
                try {
                    return NODES.numberNode(p.getDecimalValue());
                } catch (NumberFormatException e) {
                    return NODES.numberNode(p.getDoubleValue()); // exponent beyond BigDecimal: ±Infinity or 0
                }
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new IOException("unexpected token " + token);
        }
    }
}
