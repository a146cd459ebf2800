package io.github.editunit.framework.cli;

import io.github.editunit.models.BundledModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --model bundled} means the bundled tiny model ({@code editunit-tiny-llama} the bundled Llama); anything else is a model directory, which
 * must exist and hold a {@code config.json} (a usage error otherwise, before anything loads).
 */
final class ModelPathConverter implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        if (BundledModels.isBundled(value)) {
            return BundledModels.resolve(value);
        }
        Path dir = Paths.get(value);
        if (!Files.exists(dir)) {
            throw new TypeConversionException("model directory " + dir.toAbsolutePath() + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new TypeConversionException(dir.toAbsolutePath() + " is a file, not a model directory");
        }
        if (!Files.isRegularFile(dir.resolve("config.json"))) {
            throw new TypeConversionException("model directory " + dir.toAbsolutePath()
                    + " has no config.json (expected a Hugging Face model directory)");
        }
        return dir;
    }
}
