package dev.stagegate.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CiRunUrlTest {

    @Test
    void githubActionsRun() {
        assertThat(CiRunUrl.fromEnvironment(Map.of("GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_REPOSITORY", "acme/deploy", "GITHUB_RUN_ID", "42")))
                .contains("https://github.com/acme/deploy/actions/runs/42");
    }

    @Test
    void gitlabJob() {
        assertThat(CiRunUrl.fromEnvironment(Map.of("CI_JOB_URL", "https://gitlab.example/acme/deploy/-/jobs/7")))
                .contains("https://gitlab.example/acme/deploy/-/jobs/7");
    }

    @Test
    void jenkinsBuild() {
        assertThat(CiRunUrl.fromEnvironment(Map.of("BUILD_URL", "https://ci.example/job/deploy/12/")))
                .contains("https://ci.example/job/deploy/12/");
    }

    @Test
    void bitbucketPipeline() {
        assertThat(CiRunUrl.fromEnvironment(Map.of("BITBUCKET_GIT_HTTP_ORIGIN", "http://bitbucket.org/acme/deploy",
                "BITBUCKET_BUILD_NUMBER", "9")))
                .contains("http://bitbucket.org/acme/deploy/pipelines/results/9");
    }

    @Test
    void azureBuild() {
        assertThat(CiRunUrl.fromEnvironment(Map.of("SYSTEM_COLLECTIONURI", "https://dev.azure.com/acme/",
                "SYSTEM_TEAMPROJECT", "deploy", "BUILD_BUILDID", "3")))
                .contains("https://dev.azure.com/acme/deploy/_build/results?buildId=3");
    }

    @Test
    void partialVariablesGiveNoUrl() {
        assertThat(CiRunUrl.fromEnvironment(Map.of("GITHUB_SERVER_URL", "https://github.com", "GITHUB_RUN_ID", "42")))
                .isEmpty();
    }

    @Test
    void outsideCiThereIsNone() {
        assertThat(CiRunUrl.fromEnvironment(Map.of())).isEmpty();
    }
}
