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
 * @param allowedSignersFile allowed signers that replace the policy's file, as the hook's
 *                   {@code --allowed-signers} does
 */
public record StatusRequest(Path repository, Optional<Path> policyFile, Optional<Path> allowedSignersFile) {

    public StatusRequest {
        Objects.requireNonNull(repository, "repository");
        Objects.requireNonNull(policyFile, "policyFile");
        Objects.requireNonNull(allowedSignersFile, "allowedSignersFile");
    }

    /** Without an allowed-signers file of the server's. */
    public StatusRequest(Path repository, Optional<Path> policyFile) {
        this(repository, policyFile, Optional.empty());
    }
}
