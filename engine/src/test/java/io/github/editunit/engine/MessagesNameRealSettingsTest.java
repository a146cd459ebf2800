package io.github.editunit.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.editunit.engine.config.Constants;
import io.github.editunit.framework.cli.EditUnitCli;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every configuration key ({@code hardedit.…}) and command-line option ({@code --…}) that a string
 * literal of the main sources mentions (messages, descriptions) exists: a key in {@link Constants},
 * an option of the command whose source mentions it (other sources: of some command). A message
 * that sends a user to {@code hardedit.statsCorpus} when the key is {@code hardedit.stats.corpus}
 * fails here.
 */
class MessagesNameRealSettingsTest {

    private static final Pattern KEY = Pattern.compile("(?<![\\w.-])hardedit\\.[A-Za-z]\\w*(?:\\.[A-Za-z]\\w*)*");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*");
    private static final List<String> MODULES = List.of("hardedit", "framework", "models", "reports", "engine");

    @Test
    void everyKeyMentionedInAStringLiteralIsAConstant() throws Exception {
        Set<String> keys = constants();
        assertThat(keys).contains("hardedit.stats.corpus", "hardedit.threshold.locality");
        Map<String, List<String>> unknown = new TreeMap<>();
        for (Path file : mainSources()) {
            for (String literal : stringLiterals(read(file))) {
                for (String key : matches(KEY, literal)) {
                    if (!keys.contains(key)) {
                        unknown.computeIfAbsent(key, k -> new ArrayList<>()).add(root().relativize(file).toString());
                    }
                }
            }
        }
        assertThat(unknown).as("keys mentioned in messages but not defined in Constants").isEmpty();
    }

    @Test
    void theKeyScanFindsAWrongKeyInAMessage() {
        String source = """
                // "hardedit.inComment" is not a literal
                throw new IllegalStateException("give one (--stats-corpus / hardedit.statsCorpus) or put " + x);
                String pkg = "io.github.editunit.hardedit.cases"; char c = '"'; String ok = "hardedit.stats.corpus.";
                """;
        List<String> found = new ArrayList<>();
        stringLiterals(source).forEach(l -> found.addAll(matches(KEY, l)));
        assertThat(found).containsExactly("hardedit.statsCorpus", "hardedit.stats.corpus");
        assertThat(constants()).doesNotContain("hardedit.statsCorpus");
    }

    @Test
    void everyOptionMentionedInAStringLiteralIsAnOptionOfTheCommand() throws Exception {
        Map<String, Set<String>> byCommandClass = new TreeMap<>();
        Set<String> all = new TreeSet<>();
        collectOptions(EditUnitCli.commandLine(), byCommandClass, all);
        assertThat(byCommandClass.get("EditCommand")).contains("--stats-corpus", "--ppl-bound", "--model", "--batch");
        Map<String, List<String>> unknown = new TreeMap<>();
        for (Path file : mainSources()) {
            String name = file.getFileName().toString().replace(".java", "");
            Set<String> valid = byCommandClass.getOrDefault(name, all);
            for (String literal : stringLiterals(read(file))) {
                for (String option : matches(OPTION, literal)) {
                    if (!valid.contains(option)) {
                        unknown.computeIfAbsent(option, k -> new ArrayList<>()).add(root().relativize(file).toString());
                    }
                }
            }
        }
        assertThat(unknown).as("options mentioned in messages but not defined by the command (or any command)").isEmpty();
    }

    private static void collectOptions(CommandLine cl, Map<String, Set<String>> byClass, Set<String> all) {
        Set<String> names = new TreeSet<>(cl.getCommandSpec().optionsMap().keySet());
        names.addAll(List.of("--help", "--version"));
        byClass.put(cl.getCommand().getClass().getSimpleName(), names);
        all.addAll(names);
        cl.getSubcommands().values().forEach(sub -> collectOptions(sub, byClass, all));
    }

    private static Set<String> constants() {
        Set<String> keys = new TreeSet<>();
        for (Field f : Constants.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    keys.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return keys;
    }

    private static List<String> matches(Pattern p, String text) {
        List<String> out = new ArrayList<>();
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** The repository root: the directory holding every module. */
    private static Path root() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p;
            if (MODULES.stream().allMatch(m -> Files.isDirectory(dir.resolve(m).resolve("src/main/java")))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside the EditUnit repository: " + Path.of("").toAbsolutePath());
    }

    private static List<Path> mainSources() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String module : MODULES) {
            try (Stream<Path> s = Files.walk(root().resolve(module).resolve("src/main/java"))) {
                s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(50);
        return files;
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** The contents of the string literals and text blocks of Java source (comments and char literals skipped). */
    static List<String> stringLiterals(String src) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                int end = src.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (c == '\'') {
                i++;
                while (i < n && src.charAt(i) != '\'') {
                    i += src.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end;
                out.add(src.substring(i + 3, end));
                i = end + 3;
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < n && src.charAt(i) != '"' && src.charAt(i) != '\n') {
                    if (src.charAt(i) == '\\' && i + 1 < n) {
                        sb.append(src.charAt(i + 1));
                        i += 2;
                    } else {
                        sb.append(src.charAt(i++));
                    }
                }
                out.add(sb.toString());
                i++;
            } else {
                i++;
            }
        }
        return out;
    }
}
