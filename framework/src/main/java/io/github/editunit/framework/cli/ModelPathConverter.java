package io.github.editunit.framework.cli;

import io.github.editunit.models.BundledModels;
import java.nio.file.Path;
import java.nio.file.Paths;
import picocli.CommandLine.ITypeConverter;

/** {@code --model bundled} means the bundled tiny model; anything else is a directory. */
final class ModelPathConverter implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        return BundledModels.isBundled(value) ? BundledModels.tiny() : Paths.get(value);
    }
}
