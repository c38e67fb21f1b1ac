package dev.stagegate.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Implementation-Version the build writes into the jar's manifest. */
final class ManifestVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"stagegate " + Format.toolVersion()};
    }
}
