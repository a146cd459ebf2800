package io.github.editunit.framework.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Enforces the rule of {@link Scalars} on the sources: a file that records gradients (it opens a
 * {@code GradientCollector}) or defines a forward pass (it implements {@code Architecture}) never
 * passes a number to an NDArray operation such as {@code x.mul(0.5f)}, {@code x.div((float) k)}
 * or {@code x.pow(3)}: DJL frees such scalars while autograd still needs them. Rules out the
 * variant that reintroduces one DJL number overload in the GELU (checked by hand).
 */
class NumberOperandRuleTest {

    /** {@code .mul(}, {@code .divi(}, ... followed by a numeric literal, a numeric cast or a CONSTANT. */
    private static final Pattern NUMBER_OPERAND = Pattern.compile(
            "\\.(add|sub|mul|div|pow|maximum|minimum|addi|subi|muli|divi|powi|rsub|rdiv)\\(\\s*"
                    + "(\\((float|double|int|long)\\)|[-+]?\\d[\\d_.]*(e[-+]?\\d+)?[fFdDlL]?\\s*\\)|[A-Z][A-Z0-9_]*\\s*\\))");

    @Test
    void graphCodeUsesNativeScalars() throws IOException {
        Path root = Path.of("src/main/java");
        assertThat(root).isDirectory();
        List<String> offences = new ArrayList<>();
        int graphFiles = 0;
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String src = Files.readString(f);
                if (!src.contains("GradientCollector") && !src.contains("implements Architecture")) {
                    continue;
                }
                graphFiles++;
                String[] lines = src.split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    Matcher m = NUMBER_OPERAND.matcher(lines[i]);
                    if (m.find() && !lines[i].trim().startsWith("*") && !lines[i].trim().startsWith("//")) {
                        offences.add(root.relativize(f) + ":" + (i + 1) + ": " + lines[i].trim());
                    }
                }
            }
        }
        assertThat(graphFiles).as("files that record gradients or define a forward").isGreaterThanOrEqualTo(4);
        assertThat(offences).as("number operands in graph code (use Scalars)").isEmpty();
    }

    @Test
    void thePatternRecognisesTheOverloadsItForbids() {
        assertThat(NUMBER_OPERAND.matcher("x.mul(0.5f)").find()).isTrue();
        assertThat(NUMBER_OPERAND.matcher("x.pow(3).sum()").find()).isTrue();
        assertThat(NUMBER_OPERAND.matcher("nll.div((float) k)").find()).isTrue();
        assertThat(NUMBER_OPERAND.matcher("inner.mul(GELU_C)").find()).isTrue();
        assertThat(NUMBER_OPERAND.matcher("x.maximum(-1e4f)").find()).isTrue();
        assertThat(NUMBER_OPERAND.matcher("Scalars.mul(x, 0.5f)").find()).isFalse();
        assertThat(NUMBER_OPERAND.matcher("q.matMul(k).mul(scale)").find()).isFalse();
    }
}
