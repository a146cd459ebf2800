package io.github.editunit.reports;

import io.qameta.allure.listener.TestLifecycleListener;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.TestResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Allure lifecycle listener (registered in {@code META-INF/services}) that gives a result written for a
 * failed engine container the labels and parameters registered in {@link ContainerLabels}, so a case
 * whose edit could not even be applied lands in its suite, feature and story like its checks would,
 * instead of as an unlabelled top-level result. Results of other engines are left alone.
 */
public final class ContainerResultLabelling implements TestLifecycleListener {

    @Override
    public void beforeTestWrite(TestResult result) {
        label(result);
    }

    /** Adds the registered labels and parameters the result does not already have. */
    static void label(TestResult result) {
        List<Label> labels = result.getLabels() == null ? new ArrayList<>() : result.getLabels();
        String uniqueId = labels.stream().filter(l -> ContainerLabels.UNIQUE_ID_LABEL.equals(l.getName()))
                .map(Label::getValue).findFirst().orElse(null);
        ContainerLabels.lookup(uniqueId).ifPresent(entry -> {
            Set<String> present = new HashSet<>();
            labels.forEach(l -> present.add(l.getName()));
            List<Label> all = new ArrayList<>(labels);
            entry.labels().forEach((k, v) -> {
                if (!present.contains(k)) {
                    all.add(new Label().setName(k).setValue(v));
                }
            });
            result.setLabels(all);
            List<Parameter> params = result.getParameters() == null ? new ArrayList<>()
                    : new ArrayList<>(result.getParameters());
            Set<String> named = new HashSet<>();
            params.forEach(p -> named.add(p.getName()));
            entry.parameters().forEach((k, v) -> {
                if (!named.contains(k)) {
                    params.add(new Parameter().setName(k).setValue(v));
                }
            });
            result.setParameters(params);
        });
    }
}
