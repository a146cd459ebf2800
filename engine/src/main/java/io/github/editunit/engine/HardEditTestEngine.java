package io.github.editunit.engine;

import io.github.editunit.engine.config.ConfigurationResolver;
import io.github.editunit.engine.config.Constants;
import io.github.editunit.engine.discovery.HardEditDiscovery;
import io.github.editunit.engine.discovery.PlatformVersionCheck;
import io.github.editunit.engine.execution.ConsoleProgress;
import io.github.editunit.engine.execution.HardEditExecutionContext;
import io.github.editunit.engine.execution.RunState;
import io.github.editunit.reports.Reporters;
import java.util.Optional;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.hierarchical.HierarchicalTestEngine;

/**
 * The {@code hardedit} JUnit Platform engine: every edit case of an annotated marker class becomes
 * a container of checks (efficacy, generalisation, locality, non-collapse). Discovery reads case
 * files only; models are loaded once per run when the first case executes.
 */
public final class HardEditTestEngine extends HierarchicalTestEngine<HardEditExecutionContext> {

    @Override
    public String getId() {
        return Constants.ENGINE_ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("io.github.editunit");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("editunit-engine");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        PlatformVersionCheck.enforce(System.err);
        return new HardEditDiscovery(request).discover(uniqueId);
    }

    @Override
    protected HardEditExecutionContext createExecutionContext(ExecutionRequest request) {
        ConfigurationResolver resolver = new ConfigurationResolver(request.getConfigurationParameters());
        return new HardEditExecutionContext(new RunState(Reporters.create(resolver.reporter()),
                new ConsoleProgress(System.err, resolver.progress())));
    }
}
