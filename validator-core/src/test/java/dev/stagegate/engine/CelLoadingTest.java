package dev.stagegate.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.PromotionRequest;
import dev.stagegate.ValidateRequest;
import dev.stagegate.Validator;
import dev.stagegate.status.StatusRequest;
import dev.stagegate.testing.ClassLoaderWithoutCel;
import dev.stagegate.testing.CustomRuleFixture;
import dev.stagegate.testing.GitOpsFixture;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CEL (and the Guava and protobuf it brings) costs start-up time on every push, so judging under
 * a policy without rules must not load it: the hook, check-promotion and validate each run in a
 * fresh copy of stagegate, in a class loader that refuses CEL and {@code dev.stagegate.customrules}.
 */
class CelLoadingTest {

    @TempDir
    Path dir;

    @Test
    void judgingUnderAPolicyWithoutRulesLoadsNoCel() throws Throwable {
        try (ClassLoaderWithoutCel loader = new ClassLoaderWithoutCel()) {
            Object statuses = run(loader, "withoutRules", dir);

            assertThat(statuses).isEqualTo(List.of("ACCEPTED", "ACCEPTED", "ACCEPTED", "ACCEPTED"));
            assertThat(loader.refused()).isEmpty();
        }
    }

    @Test
    void judgingUnderAPolicyWithRulesDoesLoadIt() throws Exception {
        try (ClassLoaderWithoutCel loader = new ClassLoaderWithoutCel()) {
            assertThatThrownBy(() -> run(loader, "withRules", dir)).isInstanceOf(NoClassDefFoundError.class);
            assertThat(loader.refused()).isNotEmpty();
        }
    }

    private static Object run(ClassLoader loader, String scenario, Path dir) throws Throwable {
        Class<?> scenarios = loader.loadClass(Scenarios.class.getName());
        try {
            return scenarios.getMethod(scenario, Path.class).invoke(null, dir);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** What runs inside the isolating loader: every class it touches is loaded afresh there. */
    public static final class Scenarios {

        private Scenarios() {
        }

        /** A push, a check-promotion, a validate and a status board under the fixture's policy, which has no rules. */
        public static List<String> withoutRules(Path dir) {
            Path repository = dir.resolve("server.git");
            try (GitOpsFixture gitops = GitOpsFixture.create(repository)) {
                RevCommit change = gitops.change("develop", "apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
                Outcome pushed = gitops.push(gitops.update("develop", change));
                gitops.repo().setBranch("develop", change);
                Validator validator = new Validator(Clock.fixed(GitOpsFixture.NOW, ZoneOffset.UTC));
                Outcome promotion = validator.checkPromotion(
                        new PromotionRequest(repository, "testing", "develop", Optional.empty()));
                Outcome validated = validator.validate(
                        new ValidateRequest(repository, Optional.of("main"), Optional.empty()));
                Outcome board = validator.status(new StatusRequest(repository, Optional.empty())).outcome();
                return List.of(pushed, promotion, validated, board).stream()
                        .map(outcome -> outcome.status() == ExitStatus.ACCEPTED ? "ACCEPTED"
                                : outcome.status() + ": " + GitOpsFixture.render(outcome))
                        .toList();
            }
        }

        /** A push under the same policy with one rule, which must reach CEL. */
        public static String withRules(Path dir) {
            try (GitOpsFixture gitops = GitOpsFixture.create(dir.resolve("server.git"))) {
                RevCommit change = gitops.change("develop", "apps/web/values.yaml", "replicas: 3\nimage: web:1.1\n");
                return gitops.withPolicy(CustomRuleFixture.policyWith(GitOpsFixture.POLICY,
                                CustomRuleFixture.rule("replicas", "apps/**", "object.replicas >= 2")))
                        .push(gitops.update("develop", change)).status().name();
            }
        }
    }
}
