package dev.stagegate.report;

/** Turns a verdict into one of the output formats of product.md. */
public interface VerdictRenderer {

    String render(Verdict verdict);
}
