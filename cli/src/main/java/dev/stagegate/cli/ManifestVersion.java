package dev.stagegate.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the Implementation-Version the build writes into the jar's manifest. */
final class ManifestVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {"stagegate " + (version == null ? "dev" : version)};
    }
}
