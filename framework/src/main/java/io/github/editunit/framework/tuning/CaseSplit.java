package io.github.editunit.framework.tuning;

import io.github.editunit.hardedit.cases.EditCase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The cases of a tuning run, split once: a seeded shuffle, then the first {@code tune} cases to choose settings on
 * and the next {@code heldout} to score the choice on. The two parts never share a case.
 */
public record CaseSplit(long seed, List<EditCase> tune, List<EditCase> heldout) {

    public static CaseSplit of(List<EditCase> cases, int tune, int heldout, long seed) {
        if (tune < 1 || heldout < 1) {
            throw new IllegalArgumentException("tuning and held-out parts need at least one case each");
        }
        if (tune + heldout > cases.size()) {
            throw new IllegalArgumentException("the case file has " + cases.size() + " cases; " + tune + " to tune on and "
                    + heldout + " held out need " + (tune + heldout));
        }
        List<EditCase> shuffled = new ArrayList<>(cases);
        Collections.shuffle(shuffled, new Random(seed));
        return new CaseSplit(seed, List.copyOf(shuffled.subList(0, tune)), List.copyOf(shuffled.subList(tune, tune + heldout)));
    }
}
