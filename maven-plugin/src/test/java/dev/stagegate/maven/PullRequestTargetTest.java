package dev.stagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PullRequestTargetTest {

    @Test
    void githubActionsBaseRef() {
        assertThat(PullRequestTarget.fromEnvironment(Map.of("GITHUB_BASE_REF", "main")))
                .contains(new PullRequestTarget("main", "GITHUB_BASE_REF", "GitHub Actions"));
    }

    @Test
    void gitlabMergeRequestTarget() {
        assertThat(PullRequestTarget.fromEnvironment(Map.of("CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "staging")))
                .contains(new PullRequestTarget("staging", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "GitLab CI"));
    }

    @Test
    void jenkinsChangeTarget() {
        assertThat(PullRequestTarget.fromEnvironment(Map.of("CHANGE_TARGET", "test")))
                .contains(new PullRequestTarget("test", "CHANGE_TARGET", "Jenkins"));
    }

    @Test
    void bitbucketDestinationBranch() {
        assertThat(PullRequestTarget.fromEnvironment(Map.of("BITBUCKET_PR_DESTINATION_BRANCH", "main")))
                .contains(new PullRequestTarget("main", "BITBUCKET_PR_DESTINATION_BRANCH", "Bitbucket Pipelines"));
    }

    @Test
    void azureFullRefIsShortened() {
        assertThat(PullRequestTarget.fromEnvironment(Map.of("SYSTEM_PULLREQUEST_TARGETBRANCH", "refs/heads/release/eu")))
                .contains(new PullRequestTarget("release/eu", "SYSTEM_PULLREQUEST_TARGETBRANCH", "Azure Pipelines"));
    }

    @Test
    void noVariableIsNoPullRequest() {
        assertThat(PullRequestTarget.fromEnvironment(Map.of("GITHUB_REF", "refs/heads/main", "CI", "true"))).isEmpty();
    }

    @Test
    void blankVariablesAreUnset() {
        // GitHub Actions sets GITHUB_BASE_REF to the empty string on push builds
        assertThat(PullRequestTarget.fromEnvironment(Map.of("GITHUB_BASE_REF", "", "CHANGE_TARGET", "  ")))
                .isEmpty();
    }

    @Test
    void firstVariableInTheDocumentedOrderWins() {
        assertThat(PullRequestTarget.fromEnvironment(Map.of(
                "SYSTEM_PULLREQUEST_TARGETBRANCH", "refs/heads/test",
                "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "staging",
                "GITHUB_BASE_REF", " main ")))
                .contains(new PullRequestTarget("main", "GITHUB_BASE_REF", "GitHub Actions"));
    }

    @Test
    void variableNamesListEveryCi() {
        assertThat(PullRequestTarget.variableNames()).isEqualTo("GITHUB_BASE_REF, CI_MERGE_REQUEST_TARGET_BRANCH_NAME,"
                + " CHANGE_TARGET, BITBUCKET_PR_DESTINATION_BRANCH, SYSTEM_PULLREQUEST_TARGETBRANCH");
    }
}
