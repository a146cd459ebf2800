package io.github.editunit.engine.discovery;

import io.github.editunit.hardedit.cases.CaseReadResult;
import io.github.editunit.hardedit.cases.CaseSource;
import java.util.function.Function;
import org.junit.platform.engine.TestSource;

/**
 * A case file read during discovery.
 *
 * @param key stable key (unique ids, sharding): the name as configured, e.g. {@code hardedit/cases.json}
 * @param fileName the file name shown in reports ({@code cases.json})
 * @param result the reader's cases and problems
 * @param fileSource source of the whole file
 * @param recordSource source of one record (file or classpath resource with line and column)
 */
public record LoadedCaseFile(String key, String fileName, CaseReadResult result, TestSource fileSource,
        Function<CaseSource, TestSource> recordSource) {}
