package io.github.editunit.framework.model;

import io.github.editunit.framework.safetensors.DType;
import io.github.editunit.framework.safetensors.SafetensorsFile;
import io.github.editunit.framework.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An edit saved as a small safetensors file: only the changed tensors (their edited values,
 * float32, so the edited model is reproduced bit-exactly) plus metadata naming the method, the
 * cases and the weights hash of the model the patch applies to. Patches stack: each names the
 * hash of the model it was made on, and applying one checks it.
 */
public final class WeightPatch {

    public static final String BASE_HASH = "editunit.patch.base_hash";
    public static final String RESULT_HASH = "editunit.patch.result_hash";
    public static final String METHOD = "editunit.patch.method";
    public static final String CASES = "editunit.patch.cases";

    private WeightPatch() {}

    /**
     * Writes a patch.
     *
     * @param edited changed tensors with their edited values (canonical names)
     * @param model the edited model (for shapes and the result hash)
     * @param baseHash weights hash before the edit
     */
    public static void write(Path file, Map<String, float[]> edited, LanguageModel model, String baseHash,
            String method, List<String> caseIds) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        w.putMetadata("format", "pt");
        w.putMetadata(BASE_HASH, baseHash);
        w.putMetadata(RESULT_HASH, model.parameters().contentHash());
        w.putMetadata(METHOD, method);
        w.putMetadata(CASES, String.join(",", caseIds));
        for (Map.Entry<String, float[]> e : edited.entrySet()) {
            w.add(e.getKey(), e.getValue(), model.parameters().shape(e.getKey()).getShape(), DType.F32);
        }
        w.write(file);
    }

    /**
     * Applies a patch in place after checking that the model is the one it was made on; the
     * result hash is verified too. Returns the patch's metadata.
     */
    public static Map<String, String> apply(LanguageModel model, Path file) throws IOException {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            Map<String, String> meta = new LinkedHashMap<>(f.metadata());
            String base = meta.get(BASE_HASH);
            if (base == null) {
                throw new IOException(file + ": not an EditUnit patch (metadata \"" + BASE_HASH + "\" is missing)");
            }
            String now = model.parameters().contentHash();
            if (!base.equals(now)) {
                // the metadata may hold any string; only a full-length hash is shortened
                throw new IOException(file + ": patch was made for weights "
                        + (base.length() > 16 ? base.substring(0, 16) + "…" : "\"" + base + "\"")
                        + " but the model has " + now.substring(0, 16) + "…; apply patches to the right base, in order");
            }
            Map<String, float[]> values = new LinkedHashMap<>();
            for (String name : f.tensorNames()) {
                if (!model.parameters().contains(name)) {
                    throw new IOException(file + ": tensor \"" + name + "\" is not a parameter of the model");
                }
                long[] want = model.parameters().shape(name).getShape();
                if (!java.util.Arrays.equals(want, f.info(name).shape())) {
                    throw new IOException(file + ": tensor \"" + name + "\" has shape "
                            + java.util.Arrays.toString(f.info(name).shape()) + ", the model's is "
                            + java.util.Arrays.toString(want));
                }
                float[] v = f.readFloats(name);
                for (float x : v) {
                    if (!Float.isFinite(x)) {
                        throw new IOException(file + ": tensor \"" + name + "\" contains NaN or infinite values");
                    }
                }
                values.put(name, v);
            }
            WeightSnapshot undo = model.parameters().snapshot(values.keySet());
            values.forEach(model.parameters()::set);
            String result = meta.get(RESULT_HASH);
            if (result != null && !result.equals(model.parameters().contentHash())) {
                model.parameters().restore(undo);
                throw new IOException(file + ": applying the patch did not give the recorded weights hash; "
                        + "model left unchanged");
            }
            return meta;
        }
    }
}
