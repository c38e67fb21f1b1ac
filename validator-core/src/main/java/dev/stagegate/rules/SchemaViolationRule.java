package dev.stagegate.rules;

import dev.stagegate.git.CommitFiles;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import dev.stagegate.schema.FileSchemaCheck;
import dev.stagegate.yaml.YamlLimits;
import java.io.IOException;
import java.util.List;

/**
 * Every branch update: the files it adds or modifies that the policy maps to a schema must
 * parse and satisfy that schema, read (with its {@code $ref}s) from the pushed revision.
 * Files the update does not touch are not re-judged, so a push costs what it changes.
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
        return "changed files matched by the policy's schemas parse and satisfy their schema";
    }

    @Override
    public List<Violation> check(UpdateContext update) throws IOException {
        if (!update.update().isBranch() || update.update().isDeletion() || update.policy().schemas().isEmpty()) {
            return List.of();
        }
        FileSchemaCheck check = new FileSchemaCheck(update.policy().schemas(), limits);
        List<String> changed = update.changedFiles();
        if (changed.isEmpty()) {
            return List.of();
        }
        return check.check(new CommitFiles(update.repository().reader(), update.newCommit()), changed);
    }
}
