package dev.infuse.bench.methods;

import dev.infuse.inject.KnowledgeSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * One way of turning the base model into what the tasks read: a model, and the knowledge plug-ins the tasks
 * put on top of it. A new method is a class and one line in {@link InjectionMethods}; {@code a+b} combines two.
 */
public interface InjectionMethod {
    /** The model tasks read once the method has run in {@code dir}: a directory, or {@code base} itself. */
    String model(String base, Path dir);

    /**
     * The plug-ins the tasks use, from what {@link #inject} left in {@code dir}; none for methods that change
     * the model instead.
     *
     * @param seed the comparison's first seed (K-BERT draws its branches with it)
     * @param peltNorm the norm of plugged entity vectors
     */
    default List<KnowledgeSpec> knowledge(Path dir, long seed, float peltNorm) {
        return List.of();
    }

    /**
     * Whether the method pretrains in a way that trains a vocabulary extension's new rows when its base model has one, so
     * that {@code vocab} may hand it the extended model in a combination.
     */
    default boolean trainsNewRows() {
        return false;
    }

    /** Runs the method into {@code job.dir()}; called only while that directory holds no finished result. */
    void inject(InjectionJob job);
}
