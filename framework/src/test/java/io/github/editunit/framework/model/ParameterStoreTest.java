package io.github.editunit.framework.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterStoreTest {

    static final ModelConfig CONFIG = new ModelConfig("gpt2", 40, 16, 8, 2, 2, 24, 1e-5, "gelu_new", 39);

    @Test
    void restoreAfterInPlaceRankOneUpdateIsBitExact() {
        try (LanguageModel model = LanguageModel.random(CONFIG, 1, null, Device.cpu())) {
            ParameterStore p = model.parameters();
            Projection down = model.architecture().mlpDownProjection(1);
            String hash = p.contentHash();
            float[] original = p.get(down.weightName()).toFloatArray();
            float[] logProbsBefore = model.tokenLogProbs(List.of(new int[] {1, 2, 3, 4})).get(0);

            WeightSnapshot snap = p.snapshot(List.of(down.weightName()));
            float[] out = new float[down.outDim()];
            float[] in = new float[down.inDim()];
            for (int i = 0; i < out.length; i++) {
                out[i] = 0.1f * (i + 1);
            }
            for (int i = 0; i < in.length; i++) {
                in[i] = (i % 5) - 2.3f;
            }
            p.addRankOne(down, out, in);
            assertThat(p.contentHash()).isNotEqualTo(hash);
            float[] updated = p.get(down.weightName()).toFloatArray();
            // GPT-2 stores [in, out]: element (k, o) moved by out[o] * in[k]
            for (int k = 0; k < in.length; k++) {
                for (int o = 0; o < out.length; o++) {
                    assertThat(updated[k * out.length + o] - original[k * out.length + o])
                            .isCloseTo(out[o] * in[k], within(1e-5f));
                }
            }
            assertThat(model.tokenLogProbs(List.of(new int[] {1, 2, 3, 4})).get(0)).isNotEqualTo(logProbsBefore);

            p.restore(snap);
            assertThat(p.contentHash()).isEqualTo(hash);
            assertThat(p.get(down.weightName()).toFloatArray()).isEqualTo(original);
            assertThat(model.tokenLogProbs(List.of(new int[] {1, 2, 3, 4})).get(0)).isEqualTo(logProbsBefore);
        }
    }

    @Test
    void fullMatrixUpdateIsGivenInOutByInOrientation() {
        try (LanguageModel model = LanguageModel.random(CONFIG, 2, null, Device.cpu())) {
            ParameterStore p = model.parameters();
            Projection down = model.architecture().mlpDownProjection(0);
            float[] before = p.matrix(down);
            float[] delta = new float[down.outDim() * down.inDim()];
            delta[2 * down.inDim() + 5] = 1.5f; // row o=2, column k=5
            p.addMatrix(down, delta);
            float[] after = p.matrix(down);
            for (int i = 0; i < delta.length; i++) {
                assertThat(after[i] - before[i]).isCloseTo(delta[i], within(1e-6f));
            }
            // stored [in, out]: (k=5, o=2)
            assertThat(p.get(down.weightName()).toFloatArray()[5 * down.outDim() + 2])
                    .isCloseTo(before[2 * down.inDim() + 5] + 1.5f, within(1e-6f));
        }
    }

    @Test
    void hashSeesASingleBitAndNonFiniteValuesAreFound() {
        try (LanguageModel model = LanguageModel.random(CONFIG, 3, null, Device.cpu())) {
            ParameterStore p = model.parameters();
            String name = model.architecture().mlpUpProjection(0).biasName();
            String hash = p.contentHash();
            float[] v = p.get(name).toFloatArray();
            v[0] = Math.nextUp(v[0]);
            p.set(name, v);
            assertThat(p.contentHash()).isNotEqualTo(hash);
            assertThat(p.firstNonFinite()).isNull();
            v[1] = Float.NaN;
            p.set(name, v);
            assertThat(p.firstNonFinite()).isEqualTo(name);
        }
    }

    @Test
    void wrongSizedUpdatesAreRejectedNamingTheParameter() {
        try (LanguageModel model = LanguageModel.random(CONFIG, 4, null, Device.cpu())) {
            Projection down = model.architecture().mlpDownProjection(0);
            assertThatThrownBy(() -> model.parameters().addRankOne(down, new float[3], new float[4]))
                    .hasMessageContaining(down.weightName());
            assertThatThrownBy(() -> model.parameters().get("nope")).hasMessageContaining("nope");
        }
    }

    /**
     * The running hash after an update through the store equals the hash a fresh store of the same tensors computes.
     * Rules out an update method that keeps the edited tensor's old digest (the hash would stay at its old value)
     * and a running hash that differs from the from-scratch one (caches keyed by it would never be found again).
     */
    @Test
    void runningHashAfterEachKindOfUpdateEqualsAFreshStoresHash() {
        withVerification("false", () -> {
            try (LanguageModel model = LanguageModel.random(CONFIG, 5, null, Device.cpu())) {
                ParameterStore p = model.parameters();
                Projection down = model.architecture().mlpDownProjection(1);
                Projection up = model.architecture().mlpUpProjection(0);
                String before = p.contentHash();
                float[] out = new float[down.outDim()];
                float[] in = new float[down.inDim()];
                java.util.Arrays.fill(out, 0.25f);
                java.util.Arrays.fill(in, -0.5f);
                p.addRankOne(down, out, in);
                String afterRankOne = p.contentHash();
                assertThat(afterRankOne).isNotEqualTo(before).isEqualTo(freshHash(p));

                p.addMatrix(up, new float[up.outDim() * up.inDim()]); // adds zeros: same bits, same hash
                assertThat(p.contentHash()).isEqualTo(afterRankOne);
                float[] one = new float[up.outDim() * up.inDim()];
                one[3] = 1f;
                p.addMatrix(up, one);
                assertThat(p.contentHash()).isNotEqualTo(afterRankOne).isEqualTo(freshHash(p));

                String bias = up.biasName();
                float[] v = p.floats(bias);
                v[0] += 1f;
                p.set(bias, v);
                assertThat(p.contentHash()).isEqualTo(freshHash(p));

                try (ai.djl.ndarray.NDManager m = p.manager().newSubManager()) {
                    p.add(bias, m.ones(p.shape(bias)));
                }
                assertThat(p.contentHash()).isEqualTo(freshHash(p));
            }
        });
    }

    /**
     * The definition: SHA-256 over the tensors' digests in name order, each the SHA-256 of name, shape and the
     * little-endian float32 bits, computed here independently of the store. Rules out a hash that leaves out the
     * names or shapes (two tensors swapping values would go unnoticed) or that follows insertion order.
     */
    @Test
    void hashIsTheDigestOfPerTensorDigestsInNameOrder() throws Exception {
        try (LanguageModel model = LanguageModel.random(CONFIG, 6, null, Device.cpu())) {
            ParameterStore p = model.parameters();
            java.security.MessageDigest all = java.security.MessageDigest.getInstance("SHA-256");
            for (String n : new java.util.TreeSet<>(p.names())) {
                java.security.MessageDigest one = java.security.MessageDigest.getInstance("SHA-256");
                one.update(n.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                one.update(p.shape(n).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                float[] f = p.floats(n);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * f.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(f);
                one.update(b);
                all.update(one.digest());
            }
            assertThat(p.contentHash()).isEqualTo(java.util.HexFormat.of().formatHex(all.digest()));
        }
    }

    /**
     * An in-place change that bypasses the store: without a report the running hash cannot see it (the contract
     * markChanged exists for), with verification on it is an error naming the tensor, and after markChanged the hash
     * moves. Rules out markChanged that does nothing and a verification that only recomputes without comparing.
     */
    @Test
    void unreportedInPlaceChangesAreCaughtByVerificationAndMarkChangedRehashes() {
        try (LanguageModel model = LanguageModel.random(CONFIG, 7, null, Device.cpu())) {
            ParameterStore p = model.parameters();
            String name = model.architecture().mlpDownProjection(0).weightName();
            String before = p.contentHash();
            try (ai.djl.ndarray.NDManager m = p.manager().newSubManager()) {
                p.get(name).addi(m.ones(p.shape(name)));
            }
            withVerification("false", () -> assertThat(p.contentHash()).isEqualTo(before));
            withVerification("true", () -> assertThatThrownBy(p::contentHash)
                    .isInstanceOf(ParameterStore.StaleDigestException.class).hasMessageContaining(name));
            p.markChanged(name);
            withVerification("false", () -> assertThat(p.contentHash()).isNotEqualTo(before).isEqualTo(freshHash(p)));
            assertThatThrownBy(() -> p.markChanged("nope")).hasMessageContaining("nope");
        }
    }

    /** The hash of a new store holding copies of the same tensors (no kept digests). */
    private static String freshHash(ParameterStore p) {
        try (ParameterStore copy = new ParameterStore(p.manager().newSubManager(), p.precision())) {
            for (String n : p.names()) {
                copy.put(n, p.get(n).duplicate());
            }
            return copy.contentHash();
        }
    }

    private static void withVerification(String value, Runnable body) {
        String old = System.getProperty(ParameterStore.VERIFY_HASH_PROPERTY);
        System.setProperty(ParameterStore.VERIFY_HASH_PROPERTY, value);
        try {
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(ParameterStore.VERIFY_HASH_PROPERTY);
            } else {
                System.setProperty(ParameterStore.VERIFY_HASH_PROPERTY, old);
            }
        }
    }
}
