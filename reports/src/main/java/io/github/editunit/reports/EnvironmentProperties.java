package io.github.editunit.reports;

import java.util.Map;
import java.util.TreeMap;

/** Allure's {@code environment.properties} (ISO-8859-1, escaped like {@link java.util.Properties}). */
public final class EnvironmentProperties {

    private EnvironmentProperties() {}

    public static String format(Map<String, String> environment) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(environment).forEach((k, v) -> sb.append(escape(k, true)).append('=')
                .append(escape(v == null ? "" : v, false)).append('\n'));
        return sb.toString();
    }

    private static String escape(String s, boolean key) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '=', ':', '#', '!' -> sb.append('\\').append(c);
                case ' ' -> sb.append(key ? "\\ " : " ");
                default -> {
                    if (c > 0xff) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
