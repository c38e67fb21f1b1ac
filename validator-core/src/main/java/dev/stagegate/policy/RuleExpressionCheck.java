package dev.stagegate.policy;

import dev.stagegate.customrules.ExpressionProblem;
import dev.stagegate.customrules.ResultType;
import dev.stagegate.customrules.RuleExpression;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a custom rule's {@code expression} and {@code messageExpression} while the policy is
 * read, so that a rule that could never run makes the policy invalid, each problem at the place
 * in the expression CEL names. The one way from reading a policy into CEL: {@link PolicyInterpreter}
 * comes here only for a policy with rules, so CEL's classes never load for one without.
 */
final class RuleExpressionCheck {

    private RuleExpressionCheck() {
    }

    /** Why {@code text}, a verdict at {@code pointer} of rule {@code ruleId}, cannot be compiled. */
    static List<PolicyProblem> ofExpression(String ruleId, String pointer, String text) {
        return problems(ruleId, pointer, "expression", text, ResultType.BOOL);
    }

    /** Why {@code text}, a message at {@code pointer} of rule {@code ruleId}, cannot be compiled. */
    static List<PolicyProblem> ofMessageExpression(String ruleId, String pointer, String text) {
        return problems(ruleId, pointer, "messageExpression", text, ResultType.STRING);
    }

    private static List<PolicyProblem> problems(String ruleId, String pointer, String field, String text,
            ResultType type) {
        List<PolicyProblem> problems = new ArrayList<>(0);
        for (ExpressionProblem problem : RuleExpression.compile(text, type).problems()) {
            problems.add(PolicyProblem.errorInExpression(pointer, problem.offset(),
                    "rule '" + ruleId + "', " + field + ": " + oneLine(problem.message())));
        }
        return problems;
    }

    /** A violation's message is one line, whatever an exception caught while compiling says. */
    private static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
