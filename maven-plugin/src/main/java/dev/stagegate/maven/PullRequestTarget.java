package dev.stagegate.maven;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The branch a pull request would merge into, as the CI that builds it says.
 *
 * @param branch   the short branch name ({@code refs/heads/} removed)
 * @param variable the environment variable it came from
 * @param ci       the CI that sets that variable
 */
record PullRequestTarget(String branch, String variable, String ci) {

    /** A CI and the variable it sets only in pull-request builds. */
    record Source(String variable, String ci) {
    }

    /** Consulted in this order; the first non-blank one names the target. */
    static final List<Source> SOURCES = List.of(
            new Source("GITHUB_BASE_REF", "GitHub Actions"),
            new Source("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "GitLab CI"),
            new Source("CHANGE_TARGET", "Jenkins"),
            new Source("BITBUCKET_PR_DESTINATION_BRANCH", "Bitbucket Pipelines"),
            new Source("SYSTEM_PULLREQUEST_TARGETBRANCH", "Azure Pipelines"));

    private static final String HEADS = "refs/heads/";

    /** Empty when this build is no pull request (a CI sets these variables only for one). */
    static Optional<PullRequestTarget> fromEnvironment(Map<String, String> environment) {
        for (Source source : SOURCES) {
            String value = environment.get(source.variable());
            if (value != null && !value.isBlank()) {
                String branch = value.strip();
                // Azure gives the full ref
                if (branch.startsWith(HEADS)) {
                    branch = branch.substring(HEADS.length());
                }
                return Optional.of(new PullRequestTarget(branch, source.variable(), source.ci()));
            }
        }
        return Optional.empty();
    }

    static String variableNames() {
        return String.join(", ", SOURCES.stream().map(Source::variable).toList());
    }
}
