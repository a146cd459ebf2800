package io.github.editunit.framework.safetensors;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds the safetensors checkpoint of a model directory: {@code model.safetensors} first, then
 * {@code model.safetensors.index.json}. PyTorch pickle checkpoints are refused (never unpickled).
 */
public final class CheckpointFiles {

    /** Single-file checkpoint name. */
    public static final String SINGLE_FILE = "model.safetensors";

    private static final List<String> PICKLE_SUFFIXES = List.of(".bin", ".pt", ".pth", ".ckpt");

    private CheckpointFiles() {
    }

    /**
     * Returns the path of {@code model.safetensors} or {@code model.safetensors.index.json}.
     *
     * @throws PickleCheckpointRefusedException if only pickle checkpoints are present
     * @throws FileNotFoundException if there is no checkpoint at all
     */
    public static Path locate(Path modelDir) throws IOException {
        Path single = modelDir.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            return single;
        }
        Path index = modelDir.resolve(ShardedSafetensors.INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return index;
        }
        if (!Files.isDirectory(modelDir)) {
            throw new FileNotFoundException(modelDir + ": not a model directory");
        }
        List<String> pickles;
        try (Stream<Path> files = Files.list(modelDir)) {
            pickles = files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(CheckpointFiles::isPickleName)
                    .sorted()
                    .collect(Collectors.toList());
        }
        if (!pickles.isEmpty()) {
            throw new PickleCheckpointRefusedException(pickleMessage(modelDir, pickles));
        }
        throw new FileNotFoundException(modelDir + ": no " + SINGLE_FILE + " or "
                + ShardedSafetensors.INDEX_FILE + " found");
    }

    /** Opens the located checkpoint as a {@link SafetensorsFile} or {@link ShardedSafetensors}. */
    public static TensorSource open(Path modelDir) throws IOException {
        Path p = locate(modelDir);
        return p.getFileName().toString().equals(SINGLE_FILE)
                ? SafetensorsFile.open(p)
                : ShardedSafetensors.open(p);
    }

    static boolean isPickleName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return PICKLE_SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    private static String pickleMessage(Path dir, List<String> pickles) {
        String d = dir.toAbsolutePath().toString();
        return dir + ": only PyTorch pickle checkpoint(s) found " + pickles + ". Pickle checkpoints are"
                + " refused and never unpickled, because loading a pickle can execute arbitrary code."
                + " Convert the checkpoint to safetensors once, in a Python environment you trust, e.g.:\n"
                + "  python -c \"from transformers import AutoModelForCausalLM; "
                + "AutoModelForCausalLM.from_pretrained('" + d + "').save_pretrained('" + d
                + "', safe_serialization=True)\"\n"
                + "or, for a plain state dict:\n"
                + "  python -c \"import torch; from safetensors.torch import save_file; "
                + "save_file({k: v.contiguous() for k, v in torch.load('" + d + "/" + pickles.get(0)
                + "', map_location='cpu', weights_only=True).items()}, '" + d + "/" + SINGLE_FILE + "')\"";
    }
}
