/*
 * Checks infuse-core/src/main/native/aligned_reuse.c when preloaded (AlignedReuseTest builds and runs this): aligned
 * blocks are aligned, hold their bytes, survive realloc, report their usable size, and a freed block is
 * what the next request of its size gets. Prints one line per failure; exits 1 if any.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

static void check(int ok, const char *what) {
    if (!ok) {
        printf("FAILED: %s\n", what);
        failures++;
    }
}

static void *aligned_block(size_t alignment, size_t n, unsigned char fill) {
    void *p = NULL;
    check(posix_memalign(&p, alignment, n) == 0 && p != NULL, "posix_memalign succeeds");
    check(((uintptr_t) p & (alignment - 1)) == 0, "the block is aligned");
    memset(p, fill, n);
    return p;
}

int main(void) {
    mallopt(M_MMAP_MAX, 0); /* as the launcher sets it: every block comes from the heap */
    size_t n = 3 << 20; /* one BERT-base activation at B=8, T=128 */

    /* The hole a freed tensor leaves is what the next tensor of that size gets. */
    void *a = aligned_block(64, n, 1);
    void *b = aligned_block(64, n, 2); /* keeps a's hole from merging into the top of the heap */
    free(a);
    void *c = aligned_block(64, n, 3);
    check(c == a, "a freed block is reused for the next request of its size");
    check(malloc_usable_size(c) >= n, "malloc_usable_size covers the request");
    unsigned char *bb = b;
    check(bb[0] == 2 && bb[n - 1] == 2, "a neighbour keeps its bytes");

    /* realloc keeps the content, growing and shrinking. */
    unsigned char *r = realloc(c, 2 * n);
    check(r != NULL && r[0] == 3 && r[n - 1] == 3, "realloc to a larger size keeps the bytes");
    r = realloc(r, 1000);
    check(r != NULL && r[0] == 3 && r[999] == 3, "realloc to a smaller size keeps the bytes");
    free(r);
    free(b);

    /* Other alignments and small requests still work, and every kind of pointer can be freed. */
    size_t alignments[] = {16, 32, 64, 128, 4096, 8192};
    size_t sizes[] = {24, 4096, 65536, 100000, 5 << 20, 40 << 20};
    for (size_t i = 0; i < sizeof alignments / sizeof *alignments; i++) {
        for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++) {
            unsigned char *p = aligned_block(alignments[i], sizes[j], (unsigned char) (i + j));
            check(p[sizes[j] - 1] == (unsigned char) (i + j), "the last byte holds");
            check(malloc_usable_size(p) >= sizes[j], "usable size of any aligned block");
            free(p);
        }
    }
    void *q = aligned_alloc(64, n);
    check(q != NULL && ((uintptr_t) q & 63) == 0, "aligned_alloc is aligned");
    free(q);
    q = memalign(256, n);
    check(q != NULL && ((uintptr_t) q & 255) == 0, "memalign is aligned");
    free(q);
    void *bad = NULL;
    check(posix_memalign(&bad, 24, n) != 0, "a non-power-of-two alignment is refused");
    free(NULL);

    /* Plain malloc'd blocks, some of them 32-byte aligned by chance, are freed as before. */
    for (int k = 0; k < 10000; k++) {
        void *m = malloc((size_t) (k % 97) * 64 + 1);
        free(m);
    }
    if (failures == 0) {
        printf("OK\n");
    }
    return failures == 0 ? 0 : 1;
}
