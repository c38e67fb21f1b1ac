package dev.stagegate;

import dev.stagegate.evidence.EvidenceResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code stagegate evidence record}: a test result to record as evidence on a commit.
 *
 * @param repository  a working tree or a (bare) repository directory
 * @param commit      the tested revision
 * @param environment the environment the tests ran in
 * @param suite       the test suite's name
 * @param result      an explicit result ({@code --result}); empty to read {@code reports}
 * @param reports     directories with JUnit XML reports
 * @param producer    who records it; empty when no identity is known
 * @param runUrl      link to the CI run
 * @param pushRemote  a remote to push the notes ref to
 * @param policyFile  a policy outside the repository (for the notes ref and environment names)
 * @param signKey     an SSH private key to sign the record with, as {@code ssh-keygen -Y sign} does
 */
public record EvidenceRequest(
        Path repository,
        String commit,
        String environment,
        String suite,
        Optional<EvidenceResult> result,
        List<Path> reports,
        Optional<String> producer,
        Optional<String> runUrl,
        Optional<String> pushRemote,
        Optional<Path> policyFile,
        Optional<Path> signKey) {

    public EvidenceRequest {
        reports = List.copyOf(reports);
        java.util.Objects.requireNonNull(signKey, "signKey");
    }

    /** An unsigned record. */
    public EvidenceRequest(Path repository, String commit, String environment, String suite,
            Optional<EvidenceResult> result, List<Path> reports, Optional<String> producer, Optional<String> runUrl,
            Optional<String> pushRemote, Optional<Path> policyFile) {
        this(repository, commit, environment, suite, result, reports, producer, runUrl, pushRemote, policyFile,
                Optional.empty());
    }
}
