package io.github.editunit.framework.model;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How {@link ModelFiles#load(Path, LoadOptions)} loads a model.
 *
 * @param device where the weights live
 * @param precision the type the weights are kept (and computed) in
 * @param patches EditUnit weight patches applied in order after loading
 * @param memoryCheck whether to refuse, before reading any tensor, a model whose {@link MemoryEstimate}
 *        exceeds the {@link MemoryBudget}
 * @param budget the memory the model may take on a device (by default {@link MemoryBudget#of(Device)}: free
 *        GPU memory, or this machine's available memory for the CPU); null skips the check
 * @param log receives the one-line memory estimate (and notes such as a slow precision); may ignore them
 */
public record LoadOptions(Device device, Precision precision, List<Path> patches, boolean memoryCheck,
        Function<Device, MemoryBudget> budget, Consumer<String> log) {

    public LoadOptions {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(precision, "precision");
        patches = List.copyOf(patches);
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(log, "log");
    }

    /** CPU, float32, no patches, memory check against the device's budget, nothing logged. */
    public static LoadOptions defaults() {
        return new LoadOptions(Device.cpu(), Precision.FLOAT32, List.of(), true, MemoryBudget::of, line -> {});
    }

    public LoadOptions withDevice(Device d) {
        return new LoadOptions(d, precision, patches, memoryCheck, budget, log);
    }

    public LoadOptions withPrecision(Precision p) {
        return new LoadOptions(device, p, patches, memoryCheck, budget, log);
    }

    public LoadOptions withPatches(List<Path> p) {
        return new LoadOptions(device, precision, p, memoryCheck, budget, log);
    }

    public LoadOptions withMemoryCheck(boolean check) {
        return new LoadOptions(device, precision, patches, check, budget, log);
    }

    /** A fixed budget whatever the device (tests, or a limit of the caller's choosing). */
    public LoadOptions withBudget(Supplier<MemoryBudget> b) {
        return new LoadOptions(device, precision, patches, memoryCheck, d -> b.get(), log);
    }

    public LoadOptions withLog(Consumer<String> l) {
        return new LoadOptions(device, precision, patches, memoryCheck, budget, l);
    }
}
