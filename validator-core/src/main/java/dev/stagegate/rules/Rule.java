package dev.stagegate.rules;

import dev.stagegate.report.Violation;
import java.io.IOException;
import java.util.List;

/**
 * One check with a stable id (policy-v1.md, "Rules"). A rule decides for itself whether it
 * applies to an update and reports its findings at error severity; the engine then applies
 * the policy's {@code mode}/{@code ruleModes} and any audited bypass.
 */
public interface Rule {

    /** The stable rule id, such as {@code skipped-stage}. */
    String id();

    /** One line saying what the rule guards, for docs and {@code --help}. */
    String summary();

    /** The violations of this rule for one ref update; empty when it does not apply. */
    List<Violation> check(UpdateContext update) throws IOException;
}
