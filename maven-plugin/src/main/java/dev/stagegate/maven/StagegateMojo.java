package dev.stagegate.maven;

import dev.stagegate.Outcome;
import dev.stagegate.Validator;
import dev.stagegate.report.ReportFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What every goal shares: skipping, running once per repository, the policy override, the
 * log and report of the verdict, and turning it into the build's result. A goal only builds
 * its one engine request.
 */
abstract class StagegateMojo extends AbstractMojo {

    /** Fixes the clock (an ISO-8601 instant), as for the command line. */
    static final String NOW_VARIABLE = "STAGEGATE_NOW";

    /** Skips the goal. */
    @Parameter(property = "stagegate.skip", defaultValue = "false")
    private boolean skip;

    /**
     * A policy file outside the repository (server-managed); it then governs instead of the
     * repository's {@code .stagegate/policy.yaml}. Like every path of these goals, a relative one
     * is taken from the build's root directory, since the goals judge the whole repository.
     */
    @Parameter(property = "stagegate.policy")
    private String policy;

    /**
     * Kubernetes schemas on this machine (a mirror in kubeconform's layout, or kubeconform
     * templates), tried in order before the policy's {@code kubernetes.schemaLocations}; a
     * relative path is taken from the build's root directory.
     */
    @Parameter(property = "stagegate.schemaLocations")
    private List<String> schemaLocations;

    /** The format of {@code reportFile}: {@code json}, {@code sarif}, {@code junit}, {@code github} or {@code text}. */
    @Parameter(property = "stagegate.format", defaultValue = "json")
    private String format;

    /**
     * Also writes the verdict to this file, in {@code format}, for the CI to pick up. The log
     * shows the violations either way.
     */
    @Parameter(property = "stagegate.reportFile")
    private String reportFile;

    /** Fails the build on warnings too. */
    @Parameter(property = "stagegate.failOnWarning", defaultValue = "false")
    private boolean failOnWarning;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        String goal = "stagegate:" + goal();
        if (skip) {
            getLog().info(goal + " skipped (stagegate.skip)");
            return;
        }
        MavenProject runsIn = runsIn(session);
        if (!isSameProject(runsIn, project)) {
            getLog().info(goal + " runs once for the whole repository, in " + runsIn.getArtifactId()
                    + "; nothing to do in " + project.getArtifactId());
            return;
        }
        ReportFormat reportFormat = reportFormat();
        Path repository = GitWorkTree.containing(runsIn.getBasedir().toPath())
                .orElseThrow(() -> new MojoExecutionException(goal + ": " + runsIn.getBasedir()
                        + " is not inside a git repository (no .git in it or any directory above)"));
        Optional<Outcome> outcome = judge(new Validator(clock()), repository, policyFile());
        if (outcome.isEmpty()) {
            return;
        }
        VerdictLog.write(getLog(), outcome.get().verdict());
        if (reportFile != null && !reportFile.isBlank()) {
            writeReport(reportFormat, outcome.get());
        }
        MojoOutcome.enforce(goal, outcome.get(), failOnWarning);
        accepted();
    }

    /** The goal's name, without the prefix. */
    abstract String goal();

    /**
     * Asks the engine; empty when there is nothing to judge in this build (the goal has said why).
     *
     * @param repository the root of the work tree the build runs in
     */
    abstract Optional<Outcome> judge(Validator validator, Path repository, Optional<Path> policyFile)
            throws MojoExecutionException;

    /** After an accepted outcome: a goal may still fail the build on what it did. */
    void accepted() throws MojoFailureException {
    }

    /**
     * The one project of the build the goal runs in: the execution root (or, when that is not
     * part of the build, the first project), so that a multi-module build is judged once, early.
     */
    MavenProject runsIn(MavenSession mavenSession) {
        MavenProject topLevel = mavenSession.getTopLevelProject();
        return topLevel != null ? topLevel : project;
    }

    /** The process environment; CI variables, identities and {@value #NOW_VARIABLE} come from here. */
    Map<String, String> variables() {
        return System.getenv();
    }

    MavenSession session() {
        return session;
    }

    MavenProject project() {
        return project;
    }

    /**
     * {@link #schemaLocations}, absolute. Not normalised: a {@code ..} after a variable must reach
     * the engine, which refuses it; a URL is passed on for the engine to refuse with its reason.
     */
    List<String> schemaLocations() {
        if (schemaLocations == null) {
            return List.of();
        }
        return schemaLocations.stream().map(String::strip).filter(template -> !template.isEmpty())
                .map(template -> template.contains("://") || Path.of(template).isAbsolute() ? template
                        : Path.of(session.getExecutionRootDirectory()).resolve(template).toString())
                .toList();
    }

    private Optional<Path> policyFile() {
        return Optional.ofNullable(policy).filter(path -> !path.isBlank()).map(this::path);
    }

    /**
     * A path parameter, relative ones taken from the build's root directory. Maven would take
     * them from the module the goal happens to run in, which for a repository-wide goal
     * depends on the reactor's order.
     */
    Path path(String value) {
        return Path.of(session.getExecutionRootDirectory()).resolve(value.strip()).normalize();
    }

    private ReportFormat reportFormat() throws MojoExecutionException {
        try {
            return ReportFormat.fromName(format);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("stagegate.format: " + e.getMessage());
        }
    }

    private Clock clock() throws MojoExecutionException {
        String now = variables().get(NOW_VARIABLE);
        if (now == null || now.isBlank()) {
            return Clock.systemUTC();
        }
        try {
            return Clock.fixed(Instant.parse(now.strip()), ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new MojoExecutionException(NOW_VARIABLE + " must be an ISO-8601 instant such as"
                    + " 2026-11-27T10:00:00Z, not '" + now + "'", e);
        }
    }

    private void writeReport(ReportFormat reportFormat, Outcome outcome) throws MojoExecutionException {
        Path file = path(reportFile);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, reportFormat.renderer(pluginVersion()).render(outcome.verdict()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write the stagegate report " + file + ": " + e.getMessage(), e);
        }
        getLog().info("stagegate report (" + reportFormat.formatName() + "): " + file);
    }

    private String pluginVersion() {
        String version = StagegateMojo.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static boolean isSameProject(MavenProject a, MavenProject b) {
        return a == b || (a.getId().equals(b.getId()) && a.getBasedir().equals(b.getBasedir()));
    }
}
