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
 */
public record ValidateRequest(Path repository, Optional<String> revision, Optional<Path> policyFile,
        List<String> schemaLocations) {

    public ValidateRequest {
        schemaLocations = List.copyOf(schemaLocations);
    }

    /** Without server schema locations. */
    public ValidateRequest(Path repository, Optional<String> revision, Optional<Path> policyFile) {
        this(repository, revision, policyFile, List.of());
    }
}
