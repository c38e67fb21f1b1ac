package dev.stagegate;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code stagegate validate}: the policy and every file the policy maps to a schema.
 *
 * @param repository a working tree or a (bare) repository directory
 * @param revision   a revision to read instead of the working tree ({@code --rev})
 * @param policyFile a policy outside the repository that overrides the in-repository one
 */
public record ValidateRequest(Path repository, Optional<String> revision, Optional<Path> policyFile) {
}
