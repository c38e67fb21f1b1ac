package dev.stagegate.policy;

/** For an environment with several upstreams: whether content must be in all of them or one. */
public enum UpstreamMode {
    ALL,
    ANY
}
