/**
 * {@code stagegate rules eval} (rules-cel.md): every custom rule of a policy on one file, with
 * what each said about each document, or why it did not apply, for platform teams writing
 * rules. Evaluation is {@link dev.stagegate.rules.CustomRuleEvaluator}'s, the same the hook,
 * {@code check-promotion} and {@code validate} use; this package only adds the rules that did
 * not apply, and why.
 */
package dev.stagegate.ruleeval;
