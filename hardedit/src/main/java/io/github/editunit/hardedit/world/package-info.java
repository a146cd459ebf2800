/**
 * A deterministic, seeded synthetic fact world for knowledge-editing tests.
 *
 * <p>Entry point: {@link io.github.editunit.hardedit.world.FactWorld#generate(WorldSpec)} with
 * {@link io.github.editunit.hardedit.world.WorldSpec#defaults(long)}. Suites come from
 * {@link io.github.editunit.hardedit.world.SuiteGenerator}; everything is written to a directory by
 * {@link io.github.editunit.hardedit.world.WorldFiles} ({@code corpus.txt} holds one training document per
 * line) and read back with {@link io.github.editunit.hardedit.world.FactWorld#load(java.nio.file.Path)}.
 */
package io.github.editunit.hardedit.world;
