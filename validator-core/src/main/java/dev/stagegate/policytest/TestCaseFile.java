package dev.stagegate.policytest;

import java.util.List;

/**
 * What reading one test file gave: its cases when it is valid, else the problems, each with
 * its {@code file:line:column}. A file with any problem contributes no case.
 */
public record TestCaseFile(String file, List<TestCase> cases, List<InputProblem> problems) {

    public TestCaseFile {
        cases = List.copyOf(cases);
        problems = List.copyOf(problems);
    }

    static TestCaseFile invalid(String file, List<InputProblem> problems) {
        return new TestCaseFile(file, List.of(), problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }
}
