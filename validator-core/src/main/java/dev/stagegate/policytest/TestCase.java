package dev.stagegate.policytest;

import dev.stagegate.Pusher;
import dev.stagegate.report.SourcePosition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One policy test case (schemas/policy-test.schema.json): a history, the evidence on it, one
 * push, and the verdict the push must get.
 *
 * @param file     the test file, as reports name it
 * @param position where the case starts in the file
 * @param now            the time the push is judged at; empty: the time of the run
 * @param policyPatch    changes to the policy under test for this case only; empty: none
 * @param allowedSigners names whose generated test keys the case's allowed-signers file lists,
 *                       replacing the policy's file; empty: the policy's own file, read from the
 *                       case's history
 */
public record TestCase(
        String name,
        String file,
        SourcePosition position,
        Optional<Instant> now,
        Optional<PolicyPatch> policyPatch,
        Optional<List<String>> allowedSigners,
        Pusher pusher,
        List<String> pushOptions,
        String defaultBranch,
        List<Step> history,
        List<EvidenceEntry> evidence,
        List<Step> push,
        Expectation expectation) {

    public TestCase {
        allowedSigners = allowedSigners.map(List::copyOf);
        pushOptions = List.copyOf(pushOptions);
        history = List.copyOf(history);
        evidence = List.copyOf(evidence);
        push = List.copyOf(push);
    }

    /** {@code file:line:column} of the case. */
    public String location() {
        return file + ":" + position.line() + ":" + position.column();
    }
}
