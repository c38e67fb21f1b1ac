/**
 * Custom rules written in CEL (the {@code rules:} policy section): the pure building blocks.
 *
 * <p>Per policy blob, compile each rule's {@code expression} with
 * {@link dev.stagegate.customrules.RuleExpression#compile} ({@link dev.stagegate.customrules.ResultType#BOOL})
 * and its {@code messageExpression} with {@link dev.stagegate.customrules.ResultType#STRING}; map each
 * {@link dev.stagegate.customrules.ExpressionProblem}'s offset to the policy file with
 * {@link dev.stagegate.customrules.ExpressionSource#ofEntry}. Per checked document, build one
 * {@link dev.stagegate.customrules.RuleVariables} and run every applicable rule with
 * {@link dev.stagegate.customrules.RuleEvaluation#evaluate(RuleExpression, RuleVariables, long)}: a
 * result that {@code failed()} is a violation saying so, one that does not {@code holds()} is a
 * violation with the rule's message.
 *
 * <p>CEL's classes (and Guava's and protobuf's) load on the first compile, so nothing outside a
 * policy with rules may refer to this package statically.
 */
package dev.stagegate.customrules;
