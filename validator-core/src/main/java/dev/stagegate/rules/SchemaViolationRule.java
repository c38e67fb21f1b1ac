package dev.stagegate.rules;

import dev.stagegate.git.CommitFiles;
import dev.stagegate.git.RevisionFiles;
import dev.stagegate.kubernetes.ManifestCheck;
import dev.stagegate.policy.Policy;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import dev.stagegate.schema.FileSchemaCheck;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every branch update: the files it adds or modifies that the policy maps to a schema must
 * parse and satisfy that schema, read (with its {@code $ref}s) from the pushed revision; and
 * the Kubernetes resources it adds or modifies must satisfy the schema of their kind
 * ({@link ManifestCheck}). Files the update does not touch are not re-judged, so a push costs
 * what it changes, except that a changed CRD, kind schema or policy re-checks the resources it
 * affects wherever they are.
 */
public final class SchemaViolationRule implements Rule {

    private final YamlLimits limits;

    public SchemaViolationRule(YamlLimits limits) {
        this.limits = limits;
    }

    @Override
    public String id() {
        return RuleIds.SCHEMA_VIOLATION;
    }

    @Override
    public String summary() {
        return "changed files matched by the policy's schemas, and changed Kubernetes resources, parse and satisfy"
                + " their schema";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        Policy policy = update.policy();
        if (!update.update().isBranch() || update.update().isDeletion()
                || policy.schemas().isEmpty() && policy.kubernetes().isEmpty()) {
            return List.of();
        }
        List<String> changed = update.changedFiles();
        CommitFiles files = update.newFiles();
        List<Violation> violations = new ArrayList<>();
        if (!changed.isEmpty()) {
            violations.addAll(new FileSchemaCheck(policy.schemas(), limits).check(files, changed,
                    update.parsedFiles()));
        }
        // even a push that only deletes files: removing a CRD takes the schema from its resources
        if (policy.kubernetes().isPresent()) {
            ManifestCheck manifests = new ManifestCheck(policy.kubernetes().get(),
                    update.serverSchemaLocations().templates(), limits);
            Optional<RevisionFiles> before = update.baseCommit()
                    .map(base -> new CommitFiles(update.repository().reader(), base));
            violations.addAll(manifests.checkChanges(files, before, changed, update.changesPolicyFile()));
        }
        return violations;
    }
}
