package dev.stagegate.bench;

import java.io.File;
import java.io.IOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Opens a reference repository made by bench/gen_repo.py, named by a benchmark parameter. */
final class BenchmarkRepository {

    private BenchmarkRepository() {
    }

    static Repository open(String parameter, String path) throws IOException {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("pass -p " + parameter + "=<bare repository made by bench/gen_repo.py>,"
                    + " such as bench/cache/repo-100k-*/repo.git (bench/run.sh does)");
        }
        return new FileRepositoryBuilder().setGitDir(new File(path)).setMustExist(true).build();
    }

    static ObjectId resolve(Repository repository, String ref) throws IOException {
        ObjectId id = repository.resolve(ref);
        if (id == null) {
            throw new IllegalStateException(ref + " does not exist in " + repository.getDirectory());
        }
        return id;
    }
}
