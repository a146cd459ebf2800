package io.github.editunit.framework.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code editunit --version}: the jar manifest's Implementation-Version if there is one, else the
 * Maven project version written into {@code version.properties} when the module was built (the
 * {@code ./editunit} launcher runs from {@code target/classes}, where there is no manifest).
 */
public final class VersionProvider implements IVersionProvider {

    /** The EditUnit version, never empty ({@code "unknown"} if neither source has one). */
    public static String version() {
        String v = EditUnitCli.class.getPackage().getImplementationVersion();
        if (v != null && !v.isBlank()) {
            return v;
        }
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String fromBuild = p.getProperty("version", "").trim();
                if (!fromBuild.isEmpty() && !fromBuild.startsWith("${")) {
                    return fromBuild;
                }
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"EditUnit " + version()};
    }
}
