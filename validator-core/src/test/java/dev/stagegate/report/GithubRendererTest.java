package dev.stagegate.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GithubRendererTest {

    private static final String COMMIT = "3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345";

    private final GithubRenderer renderer = new GithubRenderer();

    @Test
    void oneAnnotationPerViolationThenTheSummary() {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("schema-violation", "replicas: expected integer, found string")
                        .at("apps/a/values.yaml", 3, 5),
                Violation.warning("environment-leak", "env/prod.yaml now equals staging's version")
                        .inContext("refs/heads/main", "production", COMMIT),
                Violation.error("skipped-stage", "content was never in staging")
                        .inContext("refs/heads/main", "production", COMMIT)));

        assertThat(renderer.render(verdict)).isEqualTo(""
                + "::error file=apps/a/values.yaml,line=3,col=5,title=schema-violation::"
                + "replicas: expected integer, found string\n"
                + "::warning title=environment-leak::refs/heads/main (production) 3f9c2a1b7d4e: "
                + "env/prod.yaml now equals staging's version\n"
                + "::error title=skipped-stage::refs/heads/main (production) 3f9c2a1b7d4e: "
                + "content was never in staging\n"
                + "stagegate: rejected (2 errors, 1 warning)\n");
    }

    @Test
    void aCustomRuleIsTitledByItsOwnId() {
        Verdict verdict = Verdict.of(List.of(
                Violation.error("prod-replicas", "production runs at least two replicas")
                        .at("apps/a/values.yaml", 4, 3).inContext("refs/heads/main", "production", null),
                Violation.warning("no-latest", "image.tag is latest").at("apps/a/values.yaml", 6, 5)));

        assertThat(renderer.render(verdict)).isEqualTo(""
                + "::warning file=apps/a/values.yaml,line=6,col=5,title=no-latest::image.tag is latest\n"
                + "::error file=apps/a/values.yaml,line=4,col=3,title=prod-replicas::refs/heads/main (production): "
                + "production runs at least two replicas\n"
                + "stagegate: rejected (1 error, 1 warning)\n");
    }

    @Test
    void lineAndColumnOnlyWhenKnown() {
        assertThat(GithubRenderer.command(Violation.error("schema-violation", "not YAML").at("a.yaml", 0, 0)))
                .isEqualTo("::error file=a.yaml,title=schema-violation::not YAML");
        assertThat(GithubRenderer.command(Violation.error("schema-violation", "whole document").at("a.yaml", 4, 0)))
                .isEqualTo("::error file=a.yaml,line=4,title=schema-violation::whole document");
    }

    @Test
    void escapesDataAndPropertiesTheWayTheRunnerReadsThem() {
        Violation violation = Violation.error("schema-violation", "100% wrong\r\nsecond line ::error::injected, a:b")
                .at("dir,with:odd%/file.yaml", 1, 2);

        assertThat(GithubRenderer.command(violation)).isEqualTo(
                "::error file=dir%2Cwith%3Aodd%25/file.yaml,line=1,col=2,title=schema-violation::"
                        + "100%25 wrong%0D%0Asecond line ::error::injected, a:b");
        assertThat(GithubRenderer.command(violation)).doesNotContain("\n", "\r");
    }

    @Test
    void notesAreNoticesAndAnAcceptedVerdictIsOnlyItsSummary() {
        assertThat(renderer.render(Verdict.accepted())).isEqualTo("stagegate: accepted (0 errors, 0 warnings)\n");
        assertThat(renderer.render(Verdict.accepted().withNote("no policy governs refs/tags/v1")))
                .isEqualTo("::notice title=stagegate::no policy governs refs/tags/v1\n"
                        + "stagegate: accepted (0 errors, 0 warnings)\n");
    }

    @Test
    void keepsNonAsciiText() {
        assertThat(GithubRenderer.command(Violation.warning("bypass-used", "Grund: Kundenausfall \u00fcber Nacht")))
                .isEqualTo("::warning title=bypass-used::Grund: Kundenausfall \u00fcber Nacht");
    }
}
