package dev.stagegate.maven;

import dev.stagegate.Outcome;
import dev.stagegate.ValidateRequest;
import dev.stagegate.Validator;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Validates the policy, every file the policy maps to a JSON Schema and every Kubernetes
 * manifest of its {@code kubernetes} section, in the working tree, as {@code stagegate validate} does. Runs once for the repository in a multi-module build.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class ValidateMojo extends StagegateMojo {

    @Override
    String goal() {
        return "validate";
    }

    @Override
    Optional<Outcome> judge(Validator validator, Path repository, Optional<Path> policyFile) {
        return Optional.of(validator.validate(new ValidateRequest(repository, Optional.empty(), policyFile,
                schemaLocations())));
    }
}
