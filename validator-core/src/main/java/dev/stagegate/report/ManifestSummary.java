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

    /** {@code kubernetes: 120 files (3 excluded), 2 empty documents}. */
    public String describe() {
        return "kubernetes: " + KindCount.plural(files, "manifest file") + " (" + excludedFiles + " excluded), "
                + KindCount.plural(emptyDocuments, "empty document");
    }
}
