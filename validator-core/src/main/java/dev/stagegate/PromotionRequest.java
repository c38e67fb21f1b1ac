package dev.stagegate;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code stagegate check-promotion}: would promoting {@code source} into the target
 * environment's branch be accepted?
 *
 * @param repository a working tree or a (bare) repository directory
 * @param target     an environment name or a branch name
 * @param source     the revision promoted, {@code HEAD} by default
 * @param policyFile a policy outside the repository that overrides the in-repository one
 * @param allowedSignersFile an allowed-signers file that replaces the one the policy names
 * @param schemaLocations    {@code --schema-location} templates: absolute paths of a Kubernetes
 *                           schema mirror on this machine, tried before the policy's (kubernetes.md)
 */
public record PromotionRequest(Path repository, String target, String source, Optional<Path> policyFile,
        Optional<Path> allowedSignersFile, List<String> schemaLocations) {

    public PromotionRequest {
        schemaLocations = List.copyOf(schemaLocations);
    }

    /** Without server schema locations. */
    public PromotionRequest(Path repository, String target, String source, Optional<Path> policyFile,
            Optional<Path> allowedSignersFile) {
        this(repository, target, source, policyFile, allowedSignersFile, List.of());
    }

    /** Without a server allowed-signers file. */
    public PromotionRequest(Path repository, String target, String source, Optional<Path> policyFile) {
        this(repository, target, source, policyFile, Optional.empty(), List.of());
    }
}
