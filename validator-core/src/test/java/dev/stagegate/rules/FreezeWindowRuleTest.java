package dev.stagegate.rules;

import static dev.stagegate.testing.GitOpsFixture.errors;
import static dev.stagegate.testing.GitOpsFixture.render;
import static dev.stagegate.testing.GitOpsFixture.violations;
import static dev.stagegate.testing.GitOpsFixture.warnings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.ExitStatus;
import dev.stagegate.Outcome;
import dev.stagegate.testing.GitOpsFixture;
import java.nio.file.Path;
import java.time.Instant;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Freezes on production; the instants are chosen around 2026-11-27, a Friday. */
class FreezeWindowRuleTest {

    private static final String RULE = "freeze-window";

    private static final String YEAR_END = """
            freezes:
              - name: year-end
                from: 2026-12-20T00:00:00Z
                until: 2027-01-04T00:00:00Z
            """;

    private static final String FRIDAY_EVENING = """
            freezes:
              - name: friday-evening
                days: [FRI]
                from: "16:00"
                until: "24:00"
                timezone: Europe/Berlin
            """;

    @TempDir
    Path dir;

    GitOpsFixture gitops;

    @AfterEach
    void tearDown() {
        gitops.close();
    }

    /** Production frozen by {@code freezes}; staging carries a change with passing evidence. */
    private void productionWith(String freezes, String moreTopLevel) {
        gitops = GitOpsFixture.create(dir.resolve("server.git"),
                GitOpsFixture.policyWithProduction(freezes) + moreTopLevel);
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 3\n");
        gitops.promoteAllTheWay("staging");
        gitops.passEvidence("staging", "integration");
    }

    private Outcome promoteToMainAt(String instant) {
        return gitops.at(Instant.parse(instant)).push(gitops.update("main", gitops.promotion("staging", "main")));
    }

    private static void assertAccepted(Outcome outcome) {
        assertThat(outcome.status()).as(render(outcome)).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(outcome.verdict().violations()).as(render(outcome)).isEmpty();
    }

    @Test
    void aPromotionInsideAnAbsoluteFreezeIsRejected() {
        productionWith(YEAR_END, "");

        Outcome outcome = promoteToMainAt("2026-12-24T10:00:00Z");

        assertThat(outcome.status()).isEqualTo(ExitStatus.REJECTED);
        assertThat(errors(outcome)).containsExactly(RULE);
        assertThat(violations(outcome, RULE)).singleElement().satisfies(v -> {
            assertThat(v.ref()).isEqualTo("refs/heads/main");
            assertThat(v.environment()).isEqualTo("production");
            assertThat(v.message()).contains("environment production is frozen by 'year-end'")
                    .contains("2026-12-24T10:00:00Z");
        });
    }

    @Test
    void theAbsoluteFreezeStartsAtFromAndEndsBeforeUntil() {
        productionWith(YEAR_END, "");

        assertThat(errors(promoteToMainAt("2026-12-20T00:00:00Z"))).containsExactly(RULE);
        assertAccepted(promoteToMainAt("2026-12-19T23:59:59Z"));
        assertAccepted(promoteToMainAt("2027-01-04T00:00:00Z"));
    }

    @Test
    void aPromotionInsideAWeeklyFreezeIsRejectedInItsTimezone() {
        productionWith(FRIDAY_EVENING, "");

        assertThat(errors(promoteToMainAt("2026-11-27T16:30:00Z"))).containsExactly(RULE);
        assertThat(render(promoteToMainAt("2026-11-27T22:59:00Z"))).contains("'friday-evening'");
        assertAccepted(promoteToMainAt("2026-11-27T14:30:00Z"));
        assertAccepted(promoteToMainAt("2026-11-27T23:00:00Z"));
        assertAccepted(promoteToMainAt("2026-11-26T16:30:00Z"));
    }

    @Test
    void anEnvironmentOnlyChangeDuringAFreezeIsAlsoRejected() {
        productionWith(YEAR_END, "");
        RevCommit tuning = gitops.change("main", "env/values.yaml", "environment: production\nreplicas: 10\n");

        Outcome outcome = gitops.at(Instant.parse("2026-12-24T10:00:00Z")).push(gitops.update("main", tuning));

        assertThat(errors(outcome)).containsExactly(RULE);
    }

    @Test
    void otherEnvironmentsAreNotFrozen() {
        productionWith(YEAR_END, "");
        gitops.changeOnDevelop("apps/web/values.yaml", "replicas: 4\n");

        Outcome outcome = gitops.at(Instant.parse("2026-12-24T10:00:00Z"))
                .push(gitops.update("test", gitops.promotion("develop", "test")));

        assertAccepted(outcome);
    }

    @Test
    void ruleModesWarnMakesItAWarning() {
        productionWith(YEAR_END, "ruleModes:\n  freeze-window: warn\n");

        Outcome outcome = promoteToMainAt("2026-12-24T10:00:00Z");

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(errors(outcome)).isEmpty();
        assertThat(warnings(outcome)).containsExactly(RULE);
    }

    @Test
    void aReleaseManagerCanBypassItWithAReason() {
        productionWith(YEAR_END, "");

        Outcome outcome = gitops.as("release-manager").withPushOption("stagegate.bypass=INC-7 security fix")
                .at(Instant.parse("2026-12-24T10:00:00Z"))
                .push(gitops.update("main", gitops.promotion("staging", "main")));

        assertThat(outcome.status()).isEqualTo(ExitStatus.ACCEPTED);
        assertThat(warnings(outcome)).containsExactly(RULE, "bypass-used");
    }
}
