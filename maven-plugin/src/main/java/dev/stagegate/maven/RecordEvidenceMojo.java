package dev.stagegate.maven;

import dev.stagegate.EvidenceRequest;
import dev.stagegate.Outcome;
import dev.stagegate.Pusher;
import dev.stagegate.Validator;
import dev.stagegate.evidence.EvidenceResult;
import dev.stagegate.evidence.JUnitReports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Records this build's Surefire and Failsafe results as test evidence (a git note under the
 * policy's notes ref) on {@code HEAD}, as {@code stagegate evidence record} does. A failed run is
 * recorded too, since it revokes an earlier pass, and then fails the build; for the tests'
 * failures to reach this goal, run them with {@code -Dmaven.test.failure.ignore=true}.
 * In a multi-module build it runs once, after the last module, over every module's reports.
 */
@Mojo(name = "record-evidence", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public final class RecordEvidenceMojo extends StagegateMojo {

    /** The environment the tests ran in, a name from the policy. */
    @Parameter(property = "stagegate.environment", required = true)
    private String environment;

    /** The test suite's name, as the policy's {@code requiresEvidence} names it. */
    @Parameter(property = "stagegate.suite", required = true)
    private String suite;

    /**
     * Directories of JUnit XML reports (relative ones from the build's root directory). Default:
     * the {@code surefire-reports} and {@code failsafe-reports} directories of every project of
     * the build that has them.
     */
    @Parameter(property = "stagegate.reportsDirectories")
    private List<String> reportsDirectories;

    /** The tested commit; it must be on a remote branch (not a CI's synthetic merge commit). */
    @Parameter(property = "stagegate.commit", defaultValue = "HEAD")
    private String commit;

    /**
     * A remote to push the evidence notes ref to, such as {@code origin}, with the {@code git}
     * client: the server's hooks judge the push, and a refusal fails the build.
     */
    @Parameter(property = "stagegate.push")
    private String push;

    /**
     * Who records it: the account that pushes the notes (the hook checks it). Default: the first
     * of STAGEGATE_USER, GITHUB_USER_LOGIN, GL_USERNAME, GITEA_PUSHER_NAME, REMOTE_USER, GL_USER that is set.
     */
    @Parameter(property = "stagegate.producer")
    private String producer;

    /** A link to the CI run. Default: the run's URL from GitHub Actions, GitLab, Jenkins, Bitbucket or Azure. */
    @Parameter(property = "stagegate.runUrl")
    private String runUrl;

    private List<Path> reports = List.of();

    @Override
    String goal() {
        return "record-evidence";
    }

    /** The last project of the build, so that every module's tests have run. */
    @Override
    MavenProject runsIn(MavenSession session) {
        List<MavenProject> projects = session.getProjects();
        return projects.isEmpty() ? project() : projects.get(projects.size() - 1);
    }

    @Override
    Optional<Outcome> judge(Validator validator, Path repository, Optional<Path> policyFile)
            throws MojoExecutionException {
        requireOrderedAfterEveryProject();
        reports = reports();
        Optional<String> recorder = Optional.ofNullable(producer).filter(name -> !name.isBlank()).map(String::strip)
                .or(() -> Pusher.fromEnvironment(variables(), Optional.empty()).identity());
        if (recorder.isEmpty()) {
            throw new MojoExecutionException("stagegate:record-evidence needs a producer, the account that pushes the"
                    + " evidence notes: set -Dstagegate.producer=NAME or one of "
                    + String.join(", ", Pusher.IDENTITY_VARIABLES));
        }
        getLog().info("stagegate: recording '" + suite + "' in " + environment + " on " + commit + " from "
                + reports.size() + " report director" + (reports.size() == 1 ? "y" : "ies"));
        return Optional.of(validator.recordEvidence(new EvidenceRequest(repository, commit, environment, suite,
                Optional.empty(), reports, recorder,
                Optional.ofNullable(runUrl).filter(url -> !url.isBlank()).or(() -> CiRunUrl.fromEnvironment(variables())),
                Optional.ofNullable(push).filter(remote -> !remote.isBlank()), policyFile)));
    }

    /** Failed tests are recorded as failed evidence, and fail the build. */
    @Override
    void accepted() throws MojoFailureException {
        JUnitReports.Summary summary;
        try {
            summary = JUnitReports.read(reports);
        } catch (IOException e) {
            throw new MojoFailureException("stagegate:record-evidence cannot read the reports again: " + e.getMessage(), e);
        }
        if (summary.result() == EvidenceResult.FAILED) {
            throw new MojoFailureException("stagegate:record-evidence recorded '" + suite + "' as failed in "
                    + environment + " (" + summary.counts() + "): "
                    + summary.whyNotPassed().orElseThrow());
        }
    }

    private List<Path> reports() throws MojoExecutionException {
        if (reportsDirectories != null && !reportsDirectories.isEmpty()) {
            List<Path> given = reportsDirectories.stream().map(this::path).toList();
            for (Path directory : given) {
                if (!Files.isDirectory(directory)) {
                    throw new MojoExecutionException("stagegate.reportsDirectories: " + directory + " does not exist");
                }
            }
            return given;
        }
        List<Path> found = new ArrayList<>();
        for (MavenProject built : session().getProjects()) {
            Path target = Path.of(built.getBuild().getDirectory());
            for (String name : List.of("surefire-reports", "failsafe-reports")) {
                if (Files.isDirectory(target.resolve(name))) {
                    found.add(target.resolve(name));
                }
            }
        }
        if (found.isEmpty()) {
            throw new MojoExecutionException("stagegate:record-evidence found no test reports (no surefire-reports or"
                    + " failsafe-reports directory in the build); run the tests in this build, or set"
                    + " stagegate.reportsDirectories");
        }
        return found;
    }

    /**
     * In a parallel build, modules the last one does not depend on may still be running their
     * tests: recording then could miss a failure, so refuse rather than record a wrong pass.
     */
    private void requireOrderedAfterEveryProject() throws MojoExecutionException {
        if (!session().isParallel() || (reportsDirectories != null && !reportsDirectories.isEmpty())) {
            return;
        }
        List<MavenProject> upstream = session().getProjectDependencyGraph().getUpstreamProjects(project(), true);
        List<String> unordered = session().getProjects().stream()
                .filter(other -> other != project() && !upstream.contains(other))
                .map(MavenProject::getArtifactId)
                .toList();
        if (!unordered.isEmpty()) {
            throw new MojoExecutionException("stagegate:record-evidence in a parallel build (-T) runs in "
                    + project().getArtifactId() + ", which does not depend on " + String.join(", ", unordered)
                    + ", whose tests may still be running; run it in its own invocation after the build"
                    + " (mvn stagegate:record-evidence ...) or build without -T");
        }
    }
}
