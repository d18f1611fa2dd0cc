package dev.infuse.engine;

/**
 * The C heap that libtorch's tensors live in.
 *
 * <p>The launcher tells glibc never to give freed memory back on its own ({@code MALLOC_TRIM_THRESHOLD_}),
 * because a training step that finds its activations' memory still mapped does not page-fault it in again.
 * The price is that whatever was freed before training (a checkpoint's conversion buffers, a benchmark's
 * matrices, weights drawn in Java and copied into tensors) stays resident for the whole run on top of what
 * the steps use. {@link #release} hands that memory back once, before the first step.
 */
public final class NativeHeap {
    private NativeHeap() {}

    /**
     * Returns the C heap's free memory to the operating system ({@code malloc_trim(0)}).
     *
     * @return true if memory was released; false if none was, or where glibc is not the C library
     */
    public static boolean release() {
        try {
            return com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim").invokeInt(new Object[] {0}) == 1;
        } catch (RuntimeException | LinkageError e) {
            return false; // not glibc (musl has no malloc_trim) or JNA cannot load: nothing to release this way
        }
    }
}
