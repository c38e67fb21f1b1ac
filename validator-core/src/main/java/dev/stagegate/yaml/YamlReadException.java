package dev.stagegate.yaml;

import dev.stagegate.report.SourcePosition;

/** A file that is not valid YAML/JSON or breaks a limit, with where the problem was found. */
public final class YamlReadException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient SourcePosition position;

    public YamlReadException(String message, SourcePosition position) {
        super(message);
        this.position = position == null ? SourcePosition.START : position;
    }

    public SourcePosition position() {
        return position;
    }
}
