package dev.stagegate.report;

import java.util.List;

/**
 * What {@code validate} checked of the policy's {@code kubernetes} section: the manifest files,
 * the resources per kind, and what was skipped and why.
 *
 * @param files          manifest files checked (matched by {@code manifests}, not by {@code exclude})
 * @param excludedFiles  files {@code manifests} matched that {@code exclude} left out
 * @param emptyDocuments documents that were empty or {@code null}, which hold no resource
 * @param kinds          per kind, sorted by kind
 */
public record ManifestSummary(int files, int excludedFiles, int emptyDocuments, List<KindCount> kinds) {

    public ManifestSummary {
        kinds = List.copyOf(kinds);
    }

    /**
     * {@code kubernetes: 120 manifest files (3 excluded), 480 resources of 6 kinds, 470 checked,
     * 10 not checked, 2 empty documents}: the totals; {@link KindCount#describe} says per kind
     * what was not checked and why.
     */
    public String describe() {
        int resources = kinds.stream().mapToInt(KindCount::resources).sum();
        int checked = kinds.stream().mapToInt(KindCount::checked).sum();
        return "kubernetes: " + KindCount.plural(files, "manifest file") + " (" + excludedFiles + " excluded), "
                + KindCount.plural(resources, "resource") + " of " + KindCount.plural(kinds.size(), "kind") + ", "
                + checked + " checked, " + (resources - checked) + " not checked, "
                + KindCount.plural(emptyDocuments, "empty document");
    }
}
