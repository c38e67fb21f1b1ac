package dev.stagegate;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code stagegate validate}: the policy and every file the policy maps to a schema.
 *
 * @param repository a working tree or a (bare) repository directory
 * @param revision   a revision to read instead of the working tree ({@code --rev})
 * @param policyFile a policy outside the repository that overrides the in-repository one
 * @param schemaLocations {@code --schema-location} templates: absolute paths of a Kubernetes
 *                        schema mirror on this machine, tried before the policy's (kubernetes.md)
 * @param environment the environment whose custom rules (rules-cel.md) apply ({@code --environment});
 *                    when empty, the one whose branch {@code revision} names, else only the rules
 *                    without {@code environments}
 */
public record ValidateRequest(Path repository, Optional<String> revision, Optional<Path> policyFile,
        List<String> schemaLocations, Optional<String> environment) {

    public ValidateRequest {
        schemaLocations = List.copyOf(schemaLocations);
        java.util.Objects.requireNonNull(environment, "environment");
    }

    /** For no environment in particular. */
    public ValidateRequest(Path repository, Optional<String> revision, Optional<Path> policyFile,
            List<String> schemaLocations) {
        this(repository, revision, policyFile, schemaLocations, Optional.empty());
    }

    /** This request, applying the custom rules of {@code environmentName} (an environment of the policy). */
    public ValidateRequest withEnvironment(String environmentName) {
        return new ValidateRequest(repository, revision, policyFile, schemaLocations, Optional.of(environmentName));
    }

    /** Without server schema locations. */
    public ValidateRequest(Path repository, Optional<String> revision, Optional<Path> policyFile) {
        this(repository, revision, policyFile, List.of());
    }
}
