/*
 * libtorch's CPU build links Intel's oneMKL statically, and MKL picks its kernels by CPU vendor first:
 * on an AMD processor it reports "Intel(R) Architecture processors" and runs its generic code path
 * even when the CPU has AVX2 or AVX-512. MKL asks two exported functions whether the CPU is Intel's;
 * preloading this library answers yes, and MKL then chooses by the CPU's real feature flags
 * (MKL_VERBOSE=1 shows the chosen path). The infuse launcher preloads it on AMD machines only.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}

int mkl_serv_intel_cpu(void) {
    return 1;
}
