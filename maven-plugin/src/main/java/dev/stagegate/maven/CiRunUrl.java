package dev.stagegate.maven;

import java.util.Map;
import java.util.Optional;

/** The link to the CI run that records evidence, from the variables each CI sets. */
final class CiRunUrl {

    private CiRunUrl() {
    }

    static Optional<String> fromEnvironment(Map<String, String> environment) {
        Optional<String> github = all(environment, "GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID")
                .map(v -> v[0] + "/" + v[1] + "/actions/runs/" + v[2]);
        if (github.isPresent()) {
            return github;
        }
        Optional<String> gitlab = all(environment, "CI_JOB_URL").map(v -> v[0]);
        if (gitlab.isPresent()) {
            return gitlab;
        }
        Optional<String> jenkins = all(environment, "BUILD_URL").map(v -> v[0]);
        if (jenkins.isPresent()) {
            return jenkins;
        }
        Optional<String> bitbucket = all(environment, "BITBUCKET_GIT_HTTP_ORIGIN", "BITBUCKET_BUILD_NUMBER")
                .map(v -> v[0] + "/pipelines/results/" + v[1]);
        if (bitbucket.isPresent()) {
            return bitbucket;
        }
        return all(environment, "SYSTEM_COLLECTIONURI", "SYSTEM_TEAMPROJECT", "BUILD_BUILDID")
                .map(v -> v[0] + (v[0].endsWith("/") ? "" : "/") + v[1] + "/_build/results?buildId=" + v[2]);
    }

    /** The values of all the variables, or empty when one of them is unset or blank. */
    private static Optional<String[]> all(Map<String, String> environment, String... variables) {
        String[] values = new String[variables.length];
        for (int i = 0; i < variables.length; i++) {
            String value = environment.get(variables[i]);
            if (value == null || value.isBlank()) {
                return Optional.empty();
            }
            values[i] = value.strip();
        }
        return Optional.of(values);
    }
}
