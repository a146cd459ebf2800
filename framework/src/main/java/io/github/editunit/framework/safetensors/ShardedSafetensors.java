package io.github.editunit.framework.safetensors;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.CharConversionException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A sharded checkpoint described by {@code model.safetensors.index.json}: {@code {"metadata":
 * {...}, "weight_map": {tensorName: shardFileName}}}. Shards (plain file names in the index's
 * directory) are opened lazily on first access and kept open until {@link #close()}. Problems are
 * reported as {@link SafetensorsFormatException} naming the index file and the tensor. Thread-safe.
 */
public final class ShardedSafetensors implements TensorSource {

    /** Conventional index file name. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path index;
    private final String label;
    private final Map<String, String> metadata;
    private final Map<String, String> weightMap;
    private final Map<String, SafetensorsFile> open = new LinkedHashMap<>();
    private boolean closed;

    private ShardedSafetensors(Path index, Map<String, String> metadata, Map<String, String> weightMap) {
        this.index = index;
        this.label = index.toString();
        this.metadata = metadata;
        this.weightMap = weightMap;
    }

    /**
     * Reads and validates an index file (shards are not opened yet).
     *
     * @throws SafetensorsFormatException if the index is malformed
     */
    public static ShardedSafetensors open(Path indexFile) throws IOException {
        String label = indexFile.toString();
        JsonNode root;
        try {
            root = MAPPER.readTree(indexFile.toFile());
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(label, null, "index is not valid JSON: "
                    + e.getOriginalMessage(), e);
        } catch (CharConversionException e) {
            throw new SafetensorsFormatException(label, null, "index is not JSON text: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(label, null, "index is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode meta = root.get("metadata");
        if (meta != null && !meta.isNull()) {
            if (!meta.isObject()) {
                throw new SafetensorsFormatException(label, null, "field \"metadata\" must be an object");
            }
            for (Map.Entry<String, JsonNode> e : meta.properties()) {
                JsonNode v = e.getValue();
                metadata.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            }
        }
        JsonNode map = root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new SafetensorsFormatException(label, null, "missing or non-object field \"weight_map\"");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            JsonNode shard = e.getValue();
            if (!shard.isTextual() || !isPlainFileName(shard.textValue())) {
                throw new SafetensorsFormatException(label, e.getKey(), "field \"weight_map\": shard must be"
                        + " a plain file name in the index directory, got " + shard);
            }
            weightMap.put(e.getKey(), shard.textValue());
        }
        return new ShardedSafetensors(indexFile, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(weightMap));
    }

    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    /** The index file. */
    public Path indexFile() {
        return index;
    }

    /** Tensor name to shard file name, in index order. */
    public Map<String, String> weightMap() {
        return weightMap;
    }

    @Override
    public Set<String> tensorNames() {
        return weightMap.keySet();
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public TensorInfo info(String name) throws IOException {
        return shardFor(name).info(name);
    }

    @Override
    public float[] readFloats(String name) throws IOException {
        return shardFor(name).readFloats(name);
    }

    @Override
    public void readFloats(String name, FloatBuffer dst) throws IOException {
        shardFor(name).readFloats(name, dst);
    }

    @Override
    public NDArray toNDArray(String name, NDManager manager) throws IOException {
        return shardFor(name).toNDArray(name, manager);
    }

    @Override
    public NDArray toNDArray(String name, NDManager manager, DataType type) throws IOException {
        return shardFor(name).toNDArray(name, manager, type);
    }

    /** Opens every shard and checks each tensor of the index is in its shard. */
    public void verify() throws IOException {
        for (String name : weightMap.keySet()) {
            shardFor(name);
        }
    }

    /** Opens (once) the shard holding {@code name} and checks the tensor is there. */
    private synchronized SafetensorsFile shardFor(String name) throws IOException {
        if (closed) {
            throw new IllegalStateException(label + ": closed");
        }
        String shardName = weightMap.get(name);
        if (shardName == null) {
            throw new NoSuchElementException(label + ": no tensor \"" + name + "\" in weight_map");
        }
        SafetensorsFile shard = open.get(shardName);
        if (shard == null) {
            Path shardPath = index.resolveSibling(shardName);
            if (!Files.isRegularFile(shardPath)) {
                throw new SafetensorsFormatException(label, name, "shard file \"" + shardName
                        + "\" listed in weight_map does not exist (" + shardPath + ")",
                        new NoSuchFileException(shardPath.toString()));
            }
            shard = SafetensorsFile.open(shardPath);
            open.put(shardName, shard);
        }
        if (!shard.contains(name)) {
            throw new SafetensorsFormatException(label, name, "weight_map points to shard \"" + shardName
                    + "\" but that shard has no such tensor");
        }
        return shard;
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException first = null;
        for (SafetensorsFile f : open.values()) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
