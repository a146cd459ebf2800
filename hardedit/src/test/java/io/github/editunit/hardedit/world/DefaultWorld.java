package io.github.editunit.hardedit.world;

/** Test helper: the default world for seed 42, generated once per test JVM. */
final class DefaultWorld {

    static final WorldSpec SPEC = WorldSpec.defaults(42);
    private static FactWorld world;

    private DefaultWorld() {
    }

    static synchronized FactWorld get() {
        if (world == null) {
            world = FactWorld.generate(SPEC);
        }
        return world;
    }
}
