package io.github.editunit.starter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's "Use EditUnit in your project" section, read as a user reads it: the files it tells
 * a user to write (each introduced by a paragraph "File `PATH` ...:" and given in the fenced block after it)
 * and the verdict table it promises (case id, edit, then one column per method).
 */
record ReadmeQuickStart(Map<String, String> files, List<String> methods, Map<String, Map<String, String>> verdicts) {

    static final String HEADING = "## Use EditUnit in your project";

    private static final Pattern FILE = Pattern.compile("^File `([^`]+)`[^`]*?:\\s*\\n+```[a-z]*\\n(.*?)\\n```",
            Pattern.MULTILINE | Pattern.DOTALL);

    static ReadmeQuickStart parse(Path readme) throws IOException {
        String text = Files.readString(readme, StandardCharsets.UTF_8);
        int start = text.indexOf(HEADING);
        if (start < 0) {
            throw new IllegalStateException(readme + " has no section '" + HEADING + "'");
        }
        int end = text.indexOf("\n## ", start + HEADING.length());
        String section = text.substring(start, end < 0 ? text.length() : end);

        Map<String, String> files = new LinkedHashMap<>();
        Matcher m = FILE.matcher(section);
        while (m.find()) {
            files.put(m.group(1), m.group(2) + "\n");
        }

        List<String> methods = new ArrayList<>();
        Map<String, Map<String, String>> verdicts = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("|") || line.startsWith("|---")) {
                continue;
            }
            String[] cells = line.substring(1, line.lastIndexOf('|')).split("\\|");
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i].trim();
            }
            if (cells[0].equals("case")) {
                for (int i = 2; i < cells.length; i++) {
                    methods.add(cells[i].replace("`", ""));
                }
                continue;
            }
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 2; i < cells.length; i++) {
                row.put(methods.get(i - 2), cells[i]);
            }
            verdicts.put(cells[0], row);
        }
        return new ReadmeQuickStart(files, methods, verdicts);
    }

    /** Writes the files into {@code project}. */
    void writeTo(Path project) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path target = project.resolve(f.getKey());
            Files.createDirectories(target.getParent() == null ? project : target.getParent());
            Files.writeString(target, f.getValue(), StandardCharsets.UTF_8);
        }
    }
}
