package dev.stagegate.engine;

import dev.stagegate.PushRequest;
import java.util.List;
import java.util.Optional;

/**
 * Whether an audited bypass applies to a push: it was asked for with a reason, and the pusher
 * is in {@code bypass.users} of every policy governing the push. Anything less changes
 * nothing, and the output says why.
 */
record BypassDecision(boolean applies, String reason, List<String> notes) {

    static BypassDecision decide(PushRequest request, List<PushJudge.UpdateVerdict> judged) {
        Optional<BypassRequest> asked = BypassRequest.from(request.pushOptions());
        if (asked.isEmpty()) {
            return new BypassDecision(false, "", List.of());
        }
        if (!asked.get().hasReason()) {
            return new BypassDecision(false, "", List.of("bypass ignored: give a reason, as in"
                    + " git push -o stagegate.bypass=\"hotfix INC-123\""));
        }
        for (PushJudge.UpdateVerdict verdict : judged) {
            if (!request.pusher().isIn(verdict.policy().bypassUsers())) {
                return new BypassDecision(false, "", List.of("bypass ignored: " + request.pusher().describe()
                        + " is not in bypass.users of the policy governing " + verdict.update().refName()));
            }
        }
        return new BypassDecision(true, asked.get().reason(), List.of());
    }
}
