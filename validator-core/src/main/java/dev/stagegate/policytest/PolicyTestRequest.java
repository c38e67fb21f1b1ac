package dev.stagegate.policytest;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One run of a policy's test cases.
 *
 * @param repository the repository under test: its working tree holds the policy, the tests
 *                   and the files cases copy with {@code repositoryFiles}; it need not be a git
 *                   repository. In a bare repository they are read from HEAD's tree.
 * @param tests      a directory of test files (every {@code *.yaml} and {@code *.yml} below it)
 *                   or one test file; empty: {@value PolicyTestRunner#DEFAULT_DIRECTORY} of the repository
 * @param policyFile the policy under test; empty: the repository's {@code .stagegate/policy.yaml}
 * @param allowedSignersFile allowed signers that replace the policy's file, as a server's
 *                   {@code --allowed-signers} does; a case's own {@code allowedSigners} still wins
 */
public record PolicyTestRequest(Path repository, Optional<Path> tests, Optional<Path> policyFile,
        Optional<Path> allowedSignersFile) {

    /** Without an allowed-signers file of the server's. */
    public PolicyTestRequest(Path repository, Optional<Path> tests, Optional<Path> policyFile) {
        this(repository, tests, policyFile, Optional.empty());
    }
}
