package io.github.editunit.framework.training;

import io.github.editunit.hardedit.cases.EditCase;
import io.github.editunit.hardedit.cases.NeighbourPrompt;
import io.github.editunit.hardedit.world.Relation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fact statements a case sandbox trains on, with how often each occurs. Built so the sandbox
 * stores a case's fact <em>at its subject</em>, where ROME and MEMIT edit it, instead of as the
 * continuation of one memorised prompt (a sandbox trained on each case's own two prompts alone
 * recalled them at 0.99, yet ROME reached ES 0.20 on it with any value-search setting: the edited
 * subject representation did not carry the fact). Three things key facts on subjects:
 * <ol>
 *   <li><b>Relation templates.</b> A case's prompt and its paraphrases with the subject (and any
 *       lead-in sentence) cut out are templates of one relation; cases whose prompts share a template
 *       share their paraphrase templates. Every case's fact is stated in up to {@link #MAX_TEMPLATES}
 *       templates of its relation, not only its own two.</li>
 *   <li><b>Neighbours as subjects.</b> A neighbour prompt that is a known template around a name gives
 *       that name as a subject; its fact is stated in its relation's templates too.</li>
 *   <li><b>More than one attribute per subject.</b> Every case subject gets
 *       {@link #EXTRA_ATTRIBUTES} facts of the background world's relations (seeded per subject, never a
 *       relation that shares a template with the case's or could state the case's ground truth), so
 *       the model must look up which attribute a template asks for, as in the bundled fact world.</li>
 *   <li><b>Distractor names</b> that share a subject's first words and another subject's last word, with
 *       other objects ({@link #addDistractors}): only the whole name tells the fact.</li>
 * </ol>
 * And the edit's new target is a known object of the case's relation ({@link #addNewTargets}): a
 * background subject holds it. In CounterFact the new target is another subject's true object, a word
 * the edited model knows; without this a sandbox knew 104 of the 200 first records' new targets as no
 * word at all, and no value search could make it say them.
 * The case's own prompt and paraphrases and every neighbour prompt occur {@code repetitions} times;
 * the other renderings {@code ceil(repetitions / 3)} times each.
 */
final class CaseFactStatements {

    /** The most templates a case's fact is stated in (its own prompts first). */
    static final int MAX_TEMPLATES = 8;
    /** Background-relation facts given to every case subject. */
    static final int EXTRA_ATTRIBUTES = 3;
    /** Templates each extra fact is stated in. */
    static final int EXTRA_TEMPLATES = 3;
    /** Distractor names per multi-word case subject ({@link #addDistractors}). */
    static final int DISTRACTORS = 2;
    /** The longest neighbour subject (in words) taken out of a neighbour prompt. */
    static final int MAX_SUBJECT_WORDS = 6;

    private CaseFactStatements() {
    }

    /** Statement → occurrences, in a deterministic order. */
    static Map<String, Integer> build(List<EditCase> cases, int repetitions, List<Relation> relations, long seed) {
        return build(cases, repetitions, relations, List.of(), seed);
    }

    /**
     * Statement → occurrences, in a deterministic order.
     *
     * @param peers names of other subjects (the background world's) that may hold the new targets
     */
    static Map<String, Integer> build(List<EditCase> cases, int repetitions, List<Relation> relations,
            List<String> peers, long seed) {
        int others = (repetitions + 2) / 3;
        TemplateRelations groups = new TemplateRelations();
        for (EditCase c : cases) {
            if (hasText(c.groundTruth())) {
                String own = template(c.prompt(), c.subject());
                groups.add(own, null);
                for (String p : c.paraphrasePrompts()) {
                    groups.add(own, template(p, c.subject()));
                }
            }
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        Set<String> caseSubjects = new LinkedHashSet<>();
        Map<String, Set<String>> subjectTemplates = new HashMap<>();
        Map<String, Set<String>> subjectTruths = new HashMap<>();
        for (EditCase c : cases) {
            String own = template(c.prompt(), c.subject());
            if (hasText(c.groundTruth())) {
                String truth = c.groundTruth().strip();
                subjectTruths.computeIfAbsent(c.subject(), k -> new TreeSet<>()).add(truth);
                put(out, c.prompt() + " " + truth + ".", repetitions);
                for (String p : c.paraphrasePrompts()) {
                    put(out, p + " " + truth + ".", repetitions);
                }
                if (own != null) {
                    for (String t : groups.templatesOf(own, MAX_TEMPLATES)) {
                        put(out, fill(t, c.subject()) + " " + truth + ".", others);
                    }
                    caseSubjects.add(c.subject());
                    subjectTemplates.computeIfAbsent(c.subject(), k -> new TreeSet<>()).addAll(groups.templatesOf(own,
                            Integer.MAX_VALUE));
                }
            }
            for (NeighbourPrompt n : c.neighbours()) {
                if (!hasText(n.groundTruth())) {
                    continue;
                }
                String truth = n.groundTruth().strip();
                put(out, n.prompt() + " " + truth + ".", repetitions);
                Match m = groups.match(n.prompt(), own);
                if (m != null) {
                    for (String t : groups.templatesOf(m.template(), MAX_TEMPLATES)) {
                        put(out, fill(t, m.subject()) + " " + truth + ".", others);
                    }
                }
            }
        }
        for (String subject : caseSubjects) {
            Set<String> own = subjectTemplates.getOrDefault(subject, Set.of());
            Set<String> truths = subjectTruths.getOrDefault(subject, Set.of());
            List<Relation> allowed = new ArrayList<>();
            for (Relation r : relations) {
                if (r.templates().stream().noneMatch(own::contains) && r.objects().stream().noneMatch(truths::contains)) {
                    allowed.add(r);
                }
            }
            Random rnd = new Random(seed * 31 + subject.hashCode());
            for (int k = 0; k < EXTRA_ATTRIBUTES && !allowed.isEmpty(); k++) {
                Relation r = allowed.remove(rnd.nextInt(allowed.size()));
                String object = r.objects().get(rnd.nextInt(r.objects().size()));
                List<String> ts = new ArrayList<>(r.templates());
                for (int i = 0; i < EXTRA_TEMPLATES && !ts.isEmpty(); i++) {
                    String t = ts.remove(rnd.nextInt(ts.size()));
                    put(out, Relation.fill(t, subject) + " " + object + ".", others);
                }
            }
        }
        addDistractors(out, cases, groups, caseSubjects, relations, seed, others);
        addNewTargets(out, cases, groups, peers, seed, others);
        return out;
    }

    /**
     * Every case's new target as the object of its relation for one of {@code peers} (seeded; a peer holds
     * at most one object per relation), in the case's own prompt template and one other template of the
     * relation. No case subject is a peer.
     */
    private static void addNewTargets(Map<String, Integer> out, List<EditCase> cases, TemplateRelations groups,
            List<String> peers, long seed, int times) {
        if (peers.isEmpty()) {
            return;
        }
        Set<String> caseSubjects = new TreeSet<>();
        cases.forEach(c -> caseSubjects.add(c.subject().strip()));
        List<String> candidates = peers.stream().filter(p -> !caseSubjects.contains(p.strip())).toList();
        if (candidates.isEmpty()) {
            return;
        }
        Set<String> taken = new TreeSet<>();
        for (EditCase c : cases) {
            String own = template(c.prompt(), c.subject());
            if (own == null || !hasText(c.targetNew())
                    || (hasText(c.groundTruth()) && c.targetNew().strip().equals(c.groundTruth().strip()))) {
                continue;
            }
            Random rnd = new Random(seed * 41 + c.subject().hashCode() * 7L + c.targetNew().hashCode());
            String peer = null;
            for (int attempt = 0; attempt < candidates.size() && peer == null; attempt++) {
                String p = candidates.get(rnd.nextInt(candidates.size()));
                if (taken.add(p + "\n" + own)) {
                    peer = p;
                }
            }
            if (peer == null) {
                continue;
            }
            String object = c.targetNew().strip();
            List<String> templates = groups.templatesOf(own, MAX_TEMPLATES);
            put(out, fill(own, peer) + " " + object + ".", times);
            if (templates.size() > 1) {
                put(out, fill(templates.get(1 + rnd.nextInt(templates.size() - 1)), peer) + " " + object + ".", times);
            }
        }
    }

    /**
     * Names that share a case subject's first words and another case subject's last word ("Danielle Rocard"
     * beside "Danielle Darrieux" and "Michel Rocard"), each with a different object in the case's relation
     * (its own prompt template first) and one background attribute. No single word of a subject then
     * tells its facts; only the whole name does, and a causal model first sees the whole name at the
     * subject's last token: the position ROME and MEMIT edit. Real models meet many "Danielle"s; a
     * sandbox of 200 subjects with unique first words would otherwise read a fact off the first word.
     */
    private static void addDistractors(Map<String, Integer> out, List<EditCase> cases, TemplateRelations groups,
            Set<String> caseSubjects, List<Relation> relations, long seed, int times) {
        List<String> multi = caseSubjects.stream().filter(x -> x.strip().contains(" ")).toList();
        if (multi.size() < 2) {
            return;
        }
        Set<String> taken = new TreeSet<>(caseSubjects);
        Set<String> allTruths = new TreeSet<>();
        Map<String, Set<String>> truthsByTemplate = new HashMap<>();
        for (EditCase o : cases) {
            if (hasText(o.groundTruth())) {
                allTruths.add(o.groundTruth().strip());
                String t = template(o.prompt(), o.subject());
                if (t != null) {
                    truthsByTemplate.computeIfAbsent(t, k -> new TreeSet<>()).add(o.groundTruth().strip());
                }
            }
        }
        for (EditCase c : cases) {
            String subject = c.subject().strip();
            String own = template(c.prompt(), c.subject());
            if (!hasText(c.groundTruth()) || own == null || !subject.contains(" ")) {
                continue;
            }
            String truth = c.groundTruth().strip();
            Set<String> sameRelation = new TreeSet<>(truthsByTemplate.getOrDefault(own, Set.of()));
            sameRelation.remove(truth);
            Set<String> any = new TreeSet<>(allTruths);
            any.remove(truth);
            List<String> objects = new ArrayList<>(sameRelation.isEmpty() ? any : sameRelation);
            if (objects.isEmpty()) {
                continue;
            }
            String head = subject.substring(0, subject.lastIndexOf(' '));
            String tail = subject.substring(subject.lastIndexOf(' ') + 1);
            Random rnd = new Random(seed * 37 + subject.hashCode());
            List<String> templates = groups.templatesOf(own, MAX_TEMPLATES);
            for (int d = 0; d < DISTRACTORS; d++) {
                String other = multi.get(rnd.nextInt(multi.size()));
                String otherTail = other.substring(other.lastIndexOf(' ') + 1);
                String name = head + " " + otherTail;
                if (otherTail.equals(tail) || !taken.add(name)) {
                    continue;
                }
                String object = objects.get(rnd.nextInt(objects.size()));
                put(out, fill(own, name) + " " + object + ".", times);
                if (templates.size() > 1) {
                    String t = templates.get(1 + rnd.nextInt(templates.size() - 1));
                    put(out, fill(t, name) + " " + object + ".", times);
                }
                Relation r = relations.isEmpty() ? null : relations.get(rnd.nextInt(relations.size()));
                if (r != null && !r.templates().isEmpty() && !r.objects().isEmpty()) {
                    put(out, Relation.fill(r.templates().get(rnd.nextInt(r.templates().size())), name) + " "
                            + r.objects().get(rnd.nextInt(r.objects().size())) + ".", times);
                }
            }
        }
    }

    private static void put(Map<String, Integer> out, String statement, int times) {
        out.merge(statement, times, Math::max);
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }

    /** The prompt with its subject cut out ({@code "{}"}), or null when the subject is not in it. */
    static String template(String prompt, String subject) {
        if (prompt == null || subject == null || subject.isBlank()) {
            return null;
        }
        int at = prompt.indexOf(subject);
        if (at < 0) {
            return null;
        }
        String before = prompt.substring(0, at);
        // a paraphrase's unrelated lead-in ("Ádám Rajhona, 72, Hungarian actor. The twin city of {} is") is not
        // part of the relation's template
        int cut = Math.max(before.lastIndexOf(". "), Math.max(before.lastIndexOf("\n"), before.lastIndexOf("! ")));
        if (cut >= 0) {
            before = before.substring(cut + 1).stripLeading();
        }
        return before + "{}" + prompt.substring(at + subject.length());
    }

    static String fill(String template, String subject) {
        return template.replace("{}", subject);
    }

    /** A name found in a prompt by one of the known templates. */
    record Match(String template, String subject) {
    }

    /**
     * Templates grouped into relations by prompt: the cases whose prompts share a template are one
     * relation, and their paraphrases' templates join it. Groups are not chained through shared
     * paraphrase templates (CounterFact's generation-style paraphrases, "{}'s parents are from", would
     * join native language to birthplace and every location relation into one).
     */
    static final class TemplateRelations {
        private final Map<String, Set<String>> groups = new TreeMap<>();

        /** Adds the prompt template {@code own} (null: nothing) with a paraphrase template (null: none). */
        void add(String own, String paraphrase) {
            if (own == null) {
                return;
            }
            Set<String> g = groups.computeIfAbsent(own, k -> new TreeSet<>());
            if (paraphrase != null && !paraphrase.equals(own)) {
                g.add(paraphrase);
            }
        }

        /** The templates of {@code own}'s relation, {@code own} first, then sorted; at most {@code max}. */
        List<String> templatesOf(String own, int max) {
            List<String> out = new ArrayList<>();
            out.add(own);
            for (String t : groups.getOrDefault(own, Set.of())) {
                if (out.size() >= max) {
                    break;
                }
                out.add(t);
            }
            return out;
        }

        /**
         * The relation (preferring {@code preferred}, then the longest fixed text) one of whose templates
         * the prompt fills with a short name, or null.
         */
        Match match(String prompt, String preferred) {
            Match best = null;
            int bestScore = -1;
            for (Map.Entry<String, Set<String>> g : groups.entrySet()) {
                List<String> members = new ArrayList<>();
                members.add(g.getKey());
                members.addAll(g.getValue());
                for (String t : members) {
                    int at = t.indexOf("{}");
                    String pre = t.substring(0, at);
                    String post = t.substring(at + 2);
                    if (pre.length() + post.length() < 4 || prompt.length() <= pre.length() + post.length()
                            || !prompt.startsWith(pre) || !prompt.endsWith(post)) {
                        continue;
                    }
                    String name = prompt.substring(pre.length(), prompt.length() - post.length());
                    if (name.isBlank() || !name.strip().equals(name) || name.split(" ").length > MAX_SUBJECT_WORDS
                            || name.contains(".") || name.contains("?") || name.contains(",")) {
                        continue;
                    }
                    int score = pre.length() + post.length() + (g.getKey().equals(preferred) ? 10_000 : 0);
                    if (score > bestScore) {
                        bestScore = score;
                        best = new Match(g.getKey(), name);
                    }
                }
            }
            return best;
        }
    }
}
