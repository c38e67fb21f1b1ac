package dev.stagegate.testing;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The test class path without the JDK's application loader, refusing (and noting) CEL's classes
 * and stagegate's {@code customrules}: code run through it shows that a policy without custom
 * rules never reaches CEL (rules-cel.md).
 */
public final class ClassLoaderWithoutCel extends URLClassLoader {

    private final Set<String> refused = new ConcurrentSkipListSet<>();

    public ClassLoaderWithoutCel() throws MalformedURLException {
        super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    /** The classes something asked for and was refused. */
    public Set<String> refused() {
        return refused;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("dev.cel.") || name.startsWith("dev.stagegate.customrules.")) {
            refused.add(name);
            throw new ClassNotFoundException(name + " must not load for a policy without rules");
        }
        return super.loadClass(name, resolve);
    }

    private static URL[] classPath() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(Path.of(entry).toUri().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
