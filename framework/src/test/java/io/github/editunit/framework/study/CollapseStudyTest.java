package io.github.editunit.framework.study;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.framework.evaluation.CollapseBound;
import io.github.editunit.framework.stats.StatisticsCache;
import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collapse study at a tiny scope on the bundled model: every section is generated from measurements. */
class CollapseStudyTest {

    @Test
    void aSmallStudyWritesEverySectionAndAWellFormedChart(@TempDir Path dir) throws Exception {
        Path md = dir.resolve("study.md");
        new CollapseStudy(BundledModels.tiny(), new CollapseStudy.Options(3, 3, List.of("rome", "memit"), 8, 20,
                CollapseBound.ratio(1.5)), StatisticsCache.atDefaultLocation()).run(md);
        String text = Files.readString(md);
        assertThat(text).contains("## Single edits, three ROME key modes", "## First-token cases",
                "## Perplexity and downstream damage", "## Sequential editing", "## First-position activation",
                "## Every case");
        // three cases per mode, each mode a row; both sequential methods measured
        for (String mode : List.of("| rome | 3 |", "| c-rome | 3 |", "| p-rome | 3 |")) {
            assertThat(text).contains(mode);
        }
        assertThat(text).contains("memit").contains("Pearson r");
        assertThat(text).startsWith("# Collapse study on the bundled model")
                .contains("--cases 3 --steps 3 --methods rome,memit --out " + md)
                .contains("Over all 6 sequential steps (all methods)").contains("| method | recall halved at edit |")
                .containsPattern("\\*\\*Finding\\.\\*\\* Across single edits perplexity is a (weak|moderate|strong|undetermined) surrogate");
        assertThat(text).doesNotContain("NaN |");
        Path svg = dir.resolve("study-sequential.svg");
        assertThat(svg).exists();
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
        assertThat(Files.readString(svg)).contains("class=\"series\"").contains("class=\"reference\"")
                .contains("(editunit-tiny");
    }
}
