package io.github.editunit.framework.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Hand-crafted safetensors files for tests. */
final class SafetensorsTestFiles {
    private SafetensorsTestFiles() {
    }

    /** Writes length prefix (the real header length), header JSON and data. */
    static Path raw(Path dir, String name, String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return rawWithLength(dir, name, json.length, json, data);
    }

    /** Writes an arbitrary length prefix followed by header bytes and data. */
    static Path rawWithLength(Path dir, String name, long declaredLength, byte[] header, byte[] data)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(declaredLength).put(header).put(data);
        Path p = dir.resolve(name);
        Files.write(p, buf.array());
        return p;
    }

    /** Little-endian float32 bytes. */
    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
