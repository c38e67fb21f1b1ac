package dev.stagegate.policytest;

/** Turns the results of a policy test run into one output format. */
public interface PolicyTestRenderer {

    String render(PolicyTestRun run);
}
