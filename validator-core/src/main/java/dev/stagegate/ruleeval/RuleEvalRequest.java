package dev.stagegate.ruleeval;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code stagegate rules eval}: the custom rules of a policy on one file.
 *
 * @param repository  the working tree's top directory, where {@code .stagegate/policy.yaml} is read
 *                    when no {@code policyFile} is given
 * @param policyFile  the policy to use instead of the repository's
 * @param file        the file to judge, on disk
 * @param path        its path in the repository, as the rules' {@code files} globs see it
 * @param oldFile     the file's previous version, for {@code oldObject} (transition rules); empty: null
 * @param environment the environment judged; empty: only rules without {@code environments} apply
 */
public record RuleEvalRequest(Path repository, Optional<Path> policyFile, Path file, String path,
        Optional<Path> oldFile, Optional<String> environment) {

    public RuleEvalRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(policyFile, "policyFile");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(oldFile, "oldFile");
        Objects.requireNonNull(environment, "environment");
    }
}
