package dev.stagegate.maven;

import dev.stagegate.Outcome;
import dev.stagegate.ValidateRequest;
import dev.stagegate.Validator;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Validates the policy, every file the policy maps to a JSON Schema and every Kubernetes
 * manifest of its {@code kubernetes} section, in the working tree, as {@code stagegate validate} does, and
 * the policy's custom rules for {@link #environment}. Runs once for the repository in a multi-module build.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class ValidateMojo extends StagegateMojo {

    /**
     * The environment whose custom rules ({@code rules:}) apply, a name from the policy; without
     * it, only the rules that name no environments apply.
     */
    @Parameter(property = "stagegate.environment")
    private String environment;

    @Override
    String goal() {
        return "validate";
    }

    @Override
    Optional<Outcome> judge(Validator validator, Path repository, Optional<Path> policyFile) {
        return Optional.of(validator.validate(new ValidateRequest(repository, Optional.empty(), policyFile,
                schemaLocations(), Optional.ofNullable(environment).map(String::strip).filter(name -> !name.isEmpty()))));
    }
}
