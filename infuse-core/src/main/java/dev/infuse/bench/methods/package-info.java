/**
 * The injection methods {@code infuse bench} compares, one class each, found by name in
 * {@link dev.infuse.bench.methods.InjectionMethods}.
 *
 * <p>These are adapters, not the methods themselves: PELT, ZEO and masked pretraining live in
 * {@code inject/} and {@code train/}, and must not know a comparison exists. An adapter runs one of them
 * under the comparison's budget and says where its result lies. They sit below {@code bench} and take
 * plain settings ({@link dev.infuse.bench.methods.InjectionJob}) instead of its {@code Budget}, so the
 * dependency runs one way: bench, then these, then inject and train.
 */
package dev.infuse.bench.methods;
