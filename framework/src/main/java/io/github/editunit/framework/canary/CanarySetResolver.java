package io.github.editunit.framework.canary;

import io.github.editunit.hardedit.canary.CanaryFileReader;
import io.github.editunit.hardedit.canary.CanarySet;
import io.github.editunit.hardedit.canary.CanarySources;
import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.world.FactWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Turns a canary specification ({@code --canaries}, {@code hardedit.canary.source}) into a canary set:
 * <ul>
 *   <li>{@code world} — {@value #WORLD_FACTS} facts of the model's fact world ({@code <model>/suites/facts.json},
 *       shipped with the bundled models) whose subjects the cases do not edit;</li>
 *   <li>{@code neighbours} — the cases' own neighbourhood prompts (see {@link CanarySources#fromNeighbourhoods});</li>
 *   <li>anything else — a canary file (see {@link CanaryFileReader}).</li>
 * </ul>
 */
public final class CanarySetResolver {

    /** How many world facts {@code world} measures. */
    public static final int WORLD_FACTS = 300;

    /** The shuffle seed of {@code world} (the collapse study's). */
    public static final long WORLD_SEED = 7;

    private CanarySetResolver() {}

    public static CanarySet resolve(String spec, List<EditCase> cases, String casesName, Path modelDir) {
        String s = spec.trim();
        switch (s.toLowerCase(Locale.ROOT)) {
            case "world" -> {
                Path facts = modelDir.resolve("suites/facts.json");
                if (!Files.isRegularFile(facts)) {
                    throw new IllegalArgumentException("canaries 'world': " + facts + " does not exist (only models "
                            + "trained on a fact world have it); give a canary file or 'neighbours'");
                }
                return CanarySources.fromFactWorld(FactWorld.load(facts), "suites/facts.json", cases, WORLD_FACTS, WORLD_SEED);
            }
            case "neighbours", "neighbors" -> {
                return CanarySources.fromNeighbourhoods(cases, casesName);
            }
            default -> {
                Path file = Path.of(s);
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("canary file " + file + " does not exist (or give 'world' or 'neighbours')");
                }
                return new CanaryFileReader().read(file);
            }
        }
    }
}
