package dev.infuse.bench.methods;

import java.nio.file.Path;

/** {@code none}: the base model as it is, the floor every method is measured against. */
final class NoInjection implements InjectionMethod {
    @Override
    public String model(String base, Path dir) {
        return base;
    }

    @Override
    public void inject(InjectionJob job) {}
}
