package io.github.editunit.framework.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.editunit.framework.editing.EditingContext;
import io.github.editunit.framework.editing.EditorFactory;
import io.github.editunit.framework.editing.RomeEditor;
import io.github.editunit.framework.evaluation.EditRequests;
import io.github.editunit.framework.model.LanguageModel;
import io.github.editunit.framework.model.ModelFiles;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.models.BundledModels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The eager-PyTorch ROME peer ({@code peer_rome.py}, written from ROME's equations) and EditUnit's ROME compute the
 * same update on the bundled model: both vectors of ΔW = right · uᵀ agree to 1e-4 relative (measured: 2e-6 and 3e-7;
 * the peer's δ is float32 Adam on a full-length forward, EditUnit's float64 Adam on the continued prefix). So the
 * peer's times in {@code bench-edit --peer} are times of the same edit, and EditUnit's ROME agrees with an
 * independent implementation of the equations.
 *
 * <p>Rules out, on either side: the left vector C⁻¹k^u of p-ROME instead of ROME's C⁻¹k̄ (the keys of the 21
 * templates differ from the bare prompt's: u moves by far more than the bound), a residual against the mean
 * output instead of the bare prompt's, a KL or decay term of another form, the norm cap applied to v instead of δ,
 * an early stop on another loss. Needs Python 3 with torch ({@code apt-get install python3-torch}; .ci/run installs
 * it); skipped without one.
 */
class PeerRomeTest {

    @TempDir
    Path stats;

    @Test
    void peerComputesTheSameRomeUpdate() throws Exception {
        boolean python;
        try {
            PeerForward.python();
            python = true;
        } catch (IllegalStateException e) {
            python = false;
        }
        assumeTrue(python, "no Python 3 with torch: " + PeerForward.INSTALL_HINT);
        Path dir = BundledModels.tiny();
        List<EditCase> cases = CaseFileReader.readStrict(dir.resolve("suites/single-edit.json")).subList(0, 2);
        try (LanguageModel model = ModelFiles.load(dir)) {
            EditingContext ctx = new EditingContext(model, dir, new StatisticsCache(stats), null);
            RomeEditor rome = (RomeEditor) new EditorFactory(ctx).create("rome", null, Map.of());
            PeerRome.Result r = PeerRome.run(model, rome, ctx.covariance(rome.hyperparameters().layer(),
                    rome.hyperparameters().mom2NSamples()), EditRequests.of(cases), 1);
            assertThat(r.cases()).hasSize(2);
            for (PeerRome.Case c : r.cases()) {
                assertThat(c.steps()).as("case %s: value-search steps", c.id()).isPositive();
                assertThat(c.rightDifference()).as("case %s: ‖right_peer − right‖ / ‖right‖", c.id()).isLessThan(1e-4);
                assertThat(c.leftDifference()).as("case %s: ‖u_peer − u‖ / ‖u‖", c.id()).isLessThan(1e-4);
                assertThat(c.seconds()).isPositive();
            }
        }
    }
}
