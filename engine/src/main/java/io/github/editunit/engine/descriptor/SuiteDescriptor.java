package io.github.editunit.engine.descriptor;

import io.github.editunit.engine.config.HardEditConfiguration;
import io.github.editunit.engine.execution.HardEditExecutionContext;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.hierarchical.Node;

/**
 * A marker class (with a {@code ClassSource}, which Surefire needs) or the directly selected files. It is
 * the only container with a {@code ClassSource}, and its legacy reporting name is the marker class's
 * fully qualified name: Surefire reports every test under the legacy name of the nearest ancestor with a
 * {@code ClassSource}, so each check's {@code classname} in {@code TEST-*.xml} is the marker class.
 */
public final class SuiteDescriptor extends AbstractTestDescriptor implements Node<HardEditExecutionContext> {

    private final HardEditConfiguration configuration;
    private final String suiteName;

    public SuiteDescriptor(UniqueId id, String displayName, TestSource source, HardEditConfiguration configuration) {
        super(id, displayName, source);
        this.configuration = configuration;
        this.suiteName = displayName;
    }

    public HardEditConfiguration configuration() {
        return configuration;
    }

    @Override
    public String getLegacyReportingName() {
        return getSource().filter(ClassSource.class::isInstance).map(s -> ((ClassSource) s).getClassName())
                .orElse(getDisplayName());
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }

    @Override
    public HardEditExecutionContext prepare(HardEditExecutionContext context) {
        return context.withSuite(suiteName, configuration);
    }
}
