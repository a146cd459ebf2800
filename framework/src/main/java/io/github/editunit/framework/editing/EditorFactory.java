package io.github.editunit.framework.editing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds an {@link Editor} for a method name ({@code rome}, {@code c-rome}, {@code p-rome},
 * {@code memit}, {@code ft-l}, {@code ft}) from the hyperparameter catalog, overrides and an
 * {@link EditingContext}.
 */
public final class EditorFactory {

    /** Every method name understood. */
    public static final List<String> METHODS = List.of("rome", "c-rome", "p-rome", "memit", "ft-l", "ft");

    private final EditingContext context;

    public EditorFactory(EditingContext context) {
        this.context = context;
    }

    /**
     * @param method method name
     * @param hparamsFile explicit hyperparameter file (or directory of them), or null for the catalog
     * @param overrides hyperparameter overrides by reference name (values in JSON syntax)
     */
    public Editor create(String method, Path hparamsFile, Map<String, String> overrides) {
        return create(resolve(method, hparamsFile, overrides));
    }

    /**
     * The hyperparameters {@link #create(String, Path, Map)} would use, with their origin
     * ({@link HyperparameterCatalog#resolve} for the context's model and directory).
     */
    public ResolvedHyperparameters resolve(String method, Path hparamsFile, Map<String, String> overrides) {
        return HyperparameterCatalog.resolve(known(method), context.model().config(), context.modelDir(), hparamsFile, overrides);
    }

    /** The editor of resolved hyperparameters ({@link #resolve}). */
    public Editor create(ResolvedHyperparameters resolved) {
        String m = known(resolved.method());
        ObjectNode node = resolved.node();
        switch (m) {
            case "rome":
            case "c-rome":
            case "p-rome": {
                RomeHyperparameters hp = HyperparameterCatalog.bind(node, RomeHyperparameters.class);
                ContextTemplates t = hp.templateRecipe().equals("seed-words")
                        ? context.seedWordTemplates(hp.contextTemplateLengthParams(), hp.templateSeed())
                        : context.romeTemplates(hp.contextTemplateLengthParams(), hp.templateSeed());
                return new RomeEditor(hp, layer -> context.covariance(layer, hp.mom2NSamples()), t);
            }
            case "memit": {
                MemitHyperparameters hp = HyperparameterCatalog.bind(node, MemitHyperparameters.class);
                ContextTemplates t = hp.contextTemplateLength() <= 0 ? ContextTemplates.bare()
                        : context.memitTemplates(hp.contextTemplateLength(), hp.templateSeed());
                // all layers in one pass over the corpus, before the first update
                return new MemitEditor(hp, layer -> context.covariances(hp.layers(), hp.mom2NSamples()).get(layer), t);
            }
            default:
                return new FineTuneEditor(HyperparameterCatalog.bind(node, FineTuneHyperparameters.class));
        }
    }

    /** The method name in lower case; an unknown one is an error listing {@link #METHODS}. */
    private static String known(String method) {
        String m = method.toLowerCase(Locale.ROOT);
        if (!METHODS.contains(m)) {
            throw new IllegalArgumentException("unknown method \"" + method + "\"; use one of " + METHODS);
        }
        return m;
    }
}
