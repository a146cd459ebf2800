package io.github.editunit.engine.discovery;

import io.github.editunit.engine.HardEditCases;
import io.github.editunit.engine.config.ConfigurationResolver;
import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.engine.descriptor.HardEditEngineDescriptor;
import io.github.editunit.engine.descriptor.SuiteDescriptor;
import io.github.editunit.engine.descriptor.UniqueIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.Filter;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.ClasspathResourceSelector;
import org.junit.platform.engine.discovery.ClasspathRootSelector;
import org.junit.platform.engine.discovery.DirectorySelector;
import org.junit.platform.engine.discovery.FileSelector;
import org.junit.platform.engine.discovery.PackageSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.ClassSource;

/**
 * Resolves the selectors the engine understands into suites: marker classes (class, package and
 * classpath-root selectors: what Surefire and IDEs send), unique ids (rerun of one case or check:
 * the tree is pruned to the selected nodes), and case files selected directly (file, directory,
 * classpath resource: one suite {@code [files:selected]} with the configuration keys). Cheap:
 * reads case files, never loads a model.
 */
public final class HardEditDiscovery {

    private final EngineDiscoveryRequest request;
    private final ConfigurationResolver resolver;

    public HardEditDiscovery(EngineDiscoveryRequest request) {
        this.request = request;
        this.resolver = new ConfigurationResolver(request.getConfigurationParameters());
    }

    public HardEditEngineDescriptor discover(UniqueId engineId) {
        HardEditEngineDescriptor engine = new HardEditEngineDescriptor(engineId);
        SuiteBuilder builder = new SuiteBuilder(new CaseFileLocator(classLoader()), resolver.shard(),
                issue -> request.getDiscoveryListener().issueEncountered(engineId, issue));
        Predicate<String> classNames = Filter.composeFilters(request.getFiltersByType(ClassNameFilter.class)).toPredicate();
        // class → selected unique ids (empty list: the whole class)
        Map<Class<?>, List<UniqueId>> classes = new LinkedHashMap<>();
        for (ClassSelector s : request.getSelectorsByType(ClassSelector.class)) {
            Class<?> c = s.getJavaClass();
            if (c.isAnnotationPresent(HardEditCases.class)) {
                classes.put(c, List.of());
            }
        }
        for (PackageSelector s : request.getSelectorsByType(PackageSelector.class)) {
            ReflectionSupport.findAllClassesInPackage(s.getPackageName(), c -> c.isAnnotationPresent(HardEditCases.class),
                    classNames).forEach(c -> classes.put(c, List.of()));
        }
        for (ClasspathRootSelector s : request.getSelectorsByType(ClasspathRootSelector.class)) {
            ReflectionSupport.findAllClassesInClasspathRoot(s.getClasspathRoot(),
                    c -> c.isAnnotationPresent(HardEditCases.class), classNames).forEach(c -> classes.put(c, List.of()));
        }
        for (UniqueIdSelector s : request.getSelectorsByType(UniqueIdSelector.class)) {
            UniqueId id = s.getUniqueId();
            if (!id.hasPrefix(engineId)) {
                continue;
            }
            Optional<String> className = UniqueIds.suiteClassName(id);
            if (className.isEmpty()) {
                continue;
            }
            Optional<Class<?>> c = ReflectionSupport.tryToLoadClass(className.get()).toOptional();
            if (c.isEmpty() || !c.get().isAnnotationPresent(HardEditCases.class)) {
                continue;
            }
            List<UniqueId> ids = classes.get(c.get());
            if (ids == null) {
                classes.put(c.get(), new ArrayList<>(List.of(id)));
            } else if (!ids.isEmpty()) {
                ids.add(id);
            }
        }
        for (Map.Entry<Class<?>, List<UniqueId>> e : classes.entrySet()) {
            Class<?> c = e.getKey();
            UniqueId suiteId = UniqueIds.suite(engineId, c);
            SuiteDescriptor suite = suite(builder, suiteId, c.getSimpleName(), c.getName(), ClassSource.from(c),
                    c.getAnnotation(HardEditCases.class), null);
            if (!e.getValue().isEmpty()) {
                prune(suite, e.getValue());
            }
            engine.addChild(suite);
        }
        List<String> files = new ArrayList<>();
        request.getSelectorsByType(FileSelector.class).forEach(s -> files.add(s.getRawPath()));
        request.getSelectorsByType(DirectorySelector.class).forEach(s -> files.add(s.getRawPath()));
        request.getSelectorsByType(ClasspathResourceSelector.class).forEach(s -> {
            if (s.getClasspathResourceName().endsWith(".json")) {
                files.add(s.getClasspathResourceName());
            }
        });
        files.removeIf(f -> !f.endsWith(".json") && !new java.io.File(f).isDirectory());
        if (!files.isEmpty()) {
            engine.addChild(suite(builder, UniqueIds.files(engineId), "case files", "case files", null, null, files));
        }
        return engine;
    }

    /**
     * A suite's tree, or (configuration that does not parse or cannot work) only its problems.
     *
     * @param files case files selected directly (they replace {@code hardedit.cases}), or null for a marker class
     */
    private SuiteDescriptor suite(SuiteBuilder builder, UniqueId id, String name, String owner,
            org.junit.platform.engine.TestSource source, HardEditCases annotation, List<String> files) {
        HardEditConfiguration config = null;
        List<String> problems;
        try {
            config = resolver.resolve(annotation);
            if (files != null) {
                config = config.withCases(files);
            }
            problems = resolver.problems(annotation, config);
        } catch (RuntimeException ex) {
            problems = List.of(String.valueOf(ex.getMessage()));
        }
        return problems.isEmpty() ? builder.build(id, name, source, config)
                : builder.invalid(id, name, owner, source, config, problems);
    }

    /** Keeps only nodes on the path to, or under, one of the selected unique ids. */
    static void prune(TestDescriptor node, List<UniqueId> selected) {
        for (TestDescriptor child : new ArrayList<>(node.getChildren())) {
            boolean keep = selected.stream().anyMatch(id -> UniqueIds.related(child.getUniqueId(), id));
            if (!keep) {
                child.removeFromHierarchy();
            } else if (selected.stream().noneMatch(id -> child.getUniqueId().hasPrefix(id))) {
                prune(child, selected);
            }
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : HardEditDiscovery.class.getClassLoader();
    }
}
