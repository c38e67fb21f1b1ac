package dev.stagegate.git;

import java.io.IOException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * Makes JGit read only the repository's own config. To find the system config, JGit
 * otherwise starts {@code git --version} and {@code git config --system --list} (two
 * processes per run), and reads the user's config: the hook needs none of it, and a push
 * should not wait for it or depend on the server account's settings. JGit's own config
 * stays: it caches the file system's timestamp resolution, which JGit otherwise measures
 * for seconds.
 */
public final class RepositoryConfigOnly {

    private RepositoryConfigOnly() {
    }

    /**
     * Installs the reader for this JVM; call before the first repository is opened. Calling it
     * again changes nothing, so a resident server may call it for every push.
     */
    public static synchronized void install() {
        SystemReader current = SystemReader.getInstance();
        if (current instanceof RepositoryOnlyReader) {
            return;
        }
        SystemReader.setInstance(new RepositoryOnlyReader(current));
    }

    private static final class RepositoryOnlyReader extends SystemReader.Delegate {

        RepositoryOnlyReader(SystemReader delegate) {
            super(delegate);
        }

        @Override
        public FileBasedConfig openUserConfig(Config parent, FS fs) {
            return new EmptyConfig(parent, fs);
        }

        @Override
        public FileBasedConfig openSystemConfig(Config parent, FS fs) {
            return new EmptyConfig(parent, fs);
        }
    }

    /** A config level with nothing in it that never touches the file system. */
    private static final class EmptyConfig extends FileBasedConfig {

        EmptyConfig(Config parent, FS fs) {
            super(parent, null, fs);
        }

        @Override
        public void load() {
            // nothing to read
        }

        @Override
        public boolean isOutdated() {
            return false;
        }

        @Override
        public void save() throws IOException {
            throw new IOException("stagegate never writes git's user or system config");
        }
    }
}
