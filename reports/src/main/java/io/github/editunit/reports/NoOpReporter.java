package io.github.editunit.reports;

import java.util.Map;

/** Reports nothing (engine tests, or {@code hardedit.reporter=none}). */
enum NoOpReporter implements EditReporter {
    INSTANCE;

    @Override
    public void labels(Map<String, String> labels) {}

    @Override
    public void parameters(Map<String, String> parameters) {}

    @Override
    public void container(String uniqueId, Map<String, String> labels, Map<String, String> parameters) {}

    @Override
    public void description(String markdown) {}

    @Override
    public void step(String name, boolean passed, long startMillis, long stopMillis) {}

    @Override
    public void attach(String name, String mimeType, String extension, String content) {}

    @Override
    public void runFinished(Map<String, String> environment) {}
}
