package dev.stagegate.status;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code stagegate status}: the board of one repository.
 *
 * @param repository a working tree or a bare repository
 * @param policyFile a policy outside the repository, which then governs instead of the
 *                   default branch's
 */
public record StatusRequest(Path repository, Optional<Path> policyFile) {

    public StatusRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(policyFile, "policyFile");
    }
}
