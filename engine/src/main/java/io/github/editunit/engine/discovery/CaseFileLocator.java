package io.github.editunit.engine.discovery;

import io.github.editunit.hardedit.cases.CaseFileReader;
import io.github.editunit.hardedit.cases.CaseProblem;
import io.github.editunit.hardedit.cases.CaseReadResult;
import io.github.editunit.models.BundledModels;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.platform.engine.support.descriptor.ClasspathResourceSource;
import org.junit.platform.engine.support.descriptor.FilePosition;
import org.junit.platform.engine.support.descriptor.FileSource;

/**
 * Finds and reads the case files a suite names: {@code bundled:NAME} (a suite of the bundled
 * model), a classpath resource, a file, or a directory (its {@code *.json} files, sorted). Reads
 * leniently: bad records become problems, good ones are kept. Never loads a model.
 */
public final class CaseFileLocator {

    private final ClassLoader classLoader;

    public CaseFileLocator(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** {@link #load(String, String)} for the default bundled model. */
    public List<LoadedCaseFile> load(String spec) {
        return load(spec, BundledModels.BUNDLED);
    }

    /**
     * The case files of {@code spec}: a class-path resource, a file, a directory of {@code .json}
     * files, or {@code bundled:SUITE} — a suite of the bundled model the run uses ({@code model},
     * when it is a bundled one; else the default bundled model) — or {@code bundled:MODEL/SUITE}
     * for a named bundled model.
     */
    public List<LoadedCaseFile> load(String spec, String model) {
        List<LoadedCaseFile> out = new ArrayList<>();
        if (spec.startsWith("bundled:")) {
            String name = spec.substring("bundled:".length());
            String owner = BundledModels.isBundled(model) ? BundledModels.canonicalName(model) : BundledModels.TINY;
            int slash = name.indexOf('/');
            if (slash > 0 && BundledModels.isBundled(name.substring(0, slash))) {
                owner = BundledModels.canonicalName(name.substring(0, slash));
                name = name.substring(slash + 1);
            }
            Path file;
            try {
                file = BundledModels.suite(owner, name);
            } catch (RuntimeException e) {
                out.add(missing(spec, "the bundled model " + owner + " is not available: " + e.getMessage()));
                return out;
            }
            out.add(Files.isRegularFile(file) ? readFile(spec, file)
                    : missing(spec, "the bundled model " + owner + " has no suite " + name));
            return out;
        }
        String resource = spec.startsWith("/") ? spec.substring(1) : spec;
        URL url = classLoader.getResource(resource);
        if (url != null && !spec.startsWith("/") || url != null && !Files.exists(Paths.get(spec))) {
            out.add(readResource(spec, resource));
            return out;
        }
        Path path = Paths.get(spec);
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                files.filter(p -> p.getFileName().toString().endsWith(".json")).sorted()
                        .forEach(p -> out.add(readFile(p.toString(), p)));
            } catch (IOException e) {
                out.add(missing(spec, "cannot list directory: " + e.getMessage()));
            }
            return out;
        }
        if (Files.isRegularFile(path)) {
            out.add(readFile(spec, path));
            return out;
        }
        out.add(missing(spec, "no such classpath resource, file or directory (working directory "
                + Paths.get("").toAbsolutePath() + ")"));
        return out;
    }

    public LoadedCaseFile readFile(String key, Path file) {
        CaseReadResult r = CaseFileReader.lenient().read(file);
        return new LoadedCaseFile(key, file.getFileName().toString(), r, FileSource.from(file.toFile()),
                s -> FileSource.from(file.toFile(), position(s.line(), s.column())));
    }

    public LoadedCaseFile readResource(String key, String resource) {
        CaseReadResult r;
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            r = CaseFileReader.lenient().read(in, resource);
        } catch (IOException e) {
            return missing(key, "cannot read classpath resource: " + e.getMessage());
        }
        String fileName = resource.substring(resource.lastIndexOf('/') + 1);
        return new LoadedCaseFile(key, fileName, r, ClasspathResourceSource.from(resource),
                s -> ClasspathResourceSource.from(resource, position(s.line(), s.column())));
    }

    private static FilePosition position(int line, int column) {
        return line > 0 ? (column > 0 ? FilePosition.from(line, column) : FilePosition.from(line)) : null;
    }

    private static LoadedCaseFile missing(String spec, String message) {
        CaseProblem p = new CaseProblem(CaseProblem.Severity.ERROR, spec, 0, 0, 0, null, null, message);
        String name = spec.substring(spec.lastIndexOf('/') + 1);
        return new LoadedCaseFile(spec, name, new CaseReadResult(List.of(), List.of(p)), null, s -> null);
    }
}
