package dev.infuse.bench.methods;

import java.nio.file.Path;

/**
 * One way of turning the base model into what the tasks read. A new method is a class and one line in
 * {@link InjectionMethods}.
 */
public interface InjectionMethod {
    /** The model tasks read once the method has run in {@code dir}: a directory, or {@code base} itself. */
    String model(String base, Path dir);

    /** The entity table tasks plug in, in {@code dir}; null for methods that change the model instead. */
    default Path table(Path dir) {
        return null;
    }

    /** The K-BERT graph ({@code .spo}) tasks turn their inputs into sentence trees with, in {@code dir}; null for other methods. */
    default Path graph(Path dir) {
        return null;
    }

    /** Runs the method into {@code job.dir()}; called only while that directory holds no finished result. */
    void inject(InjectionJob job);
}
