package dev.stagegate.status;

import dev.stagegate.policy.PolicyLoader;
import dev.stagegate.testing.GitOpsFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** Boards of {@link GitOpsFixture} repositories in the states the renderers must show. */
final class BoardScenarios {

    private BoardScenarios() {
    }

    /**
     * Production drifted by a hotfix (subject with non-ASCII and markup) that staging never
     * got, while staging holds a newer change with passing evidence, and develop one more
     * change that testing lacks.
     */
    static EnvironmentBoard driftedProduction(Path directory) {
        try (GitOpsFixture gitops = GitOpsFixture.create(directory)) {
            gitops.repo().commitOn("main").file("apps/web/values.yaml", "replicas: 9\nimage: web:1.0\n")
                    .message("Hotfix \u00e9 <b>&\"quoted\"").commitTo("main");
            gitops.changeOnDevelop("apps/api/values.yaml", "replicas: 1\n");
            gitops.promote("develop", "test");
            gitops.promote("test", "staging");
            gitops.passEvidence("staging", "integration");
            gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 4\n");
            return board(gitops);
        }
    }

    /** Every environment at the same content, but staging's branch deleted. */
    static EnvironmentBoard stagingMissing(Path directory) {
        try (GitOpsFixture gitops = GitOpsFixture.create(directory)) {
            gitops.repo().deleteBranch("staging");
            return board(gitops);
        }
    }

    /** A direct commit to main that touches more files than a board lists. */
    static EnvironmentBoard manyPathsDrifted(Path directory, int files) {
        try (GitOpsFixture gitops = GitOpsFixture.create(directory)) {
            var commit = gitops.repo().commitOn("main").message("Many files");
            for (int i = 0; i < files; i++) {
                commit.file(String.format("apps/app%02d/values.yaml", i), "replicas: 1\n");
            }
            commit.commitTo("main");
            return board(gitops);
        }
    }

    private static EnvironmentBoard board(GitOpsFixture gitops) {
        try {
            return new BoardBuilder(new PolicyLoader())
                    .build(new StatusRequest(gitops.repo().directory(), Optional.empty()), Optional.empty(),
                            GitOpsFixture.NOW)
                    .board().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
