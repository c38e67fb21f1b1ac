package dev.stagegate.rules;

import dev.stagegate.policy.Environment;
import dev.stagegate.policy.RuleIds;
import dev.stagegate.report.Violation;
import java.util.List;
import org.eclipse.jgit.lib.Constants;

/**
 * A tag or other ref named like an environment branch: deployment tools that resolve short
 * names (git's own order is refs/, refs/tags/, refs/heads/, refs/remotes/) may deploy it
 * instead of the branch. A branch named HEAD confuses every client.
 */
public final class RefShadowingRule implements Rule {

    @Override
    public String id() {
        return RuleIds.REF_SHADOWING;
    }

    @Override
    public String summary() {
        return "no ref other than refs/heads/<branch> may carry an environment branch's short name";
    }

    @Override
    public List<Violation> check(UpdateContext update) {
        if (update.update().isDeletion()) {
            return List.of();
        }
        String ref = update.update().refName();
        if (ref.equals(Constants.R_HEADS + Constants.HEAD)) {
            return List.of(Violation.error(id(), "a branch named HEAD is not allowed: every git client"
                    + " would confuse it with the symbolic HEAD"));
        }
        if (ref.startsWith(Constants.R_HEADS)) {
            return List.of();
        }
        for (Environment environment : update.policy().environments()) {
            String branch = environment.branch();
            if (shadows(ref, branch)) {
                return List.of(Violation.error(id(), ref + " has the short name of branch '" + branch
                        + "' of environment " + environment.name()
                        + "; deployment tools may resolve it instead of the branch; choose another name"));
            }
        }
        return List.of();
    }

    private static boolean shadows(String ref, String branch) {
        return ref.equals("refs/" + branch)
                || ref.equals(Constants.R_TAGS + branch)
                || ref.equals(Constants.R_REMOTES + branch)
                || ref.equals(Constants.R_REMOTES + branch + "/" + Constants.HEAD);
    }
}
