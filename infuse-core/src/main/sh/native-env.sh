# Sourced by the launchers (./infuse, infuse-spark/submit) with $core (infuse-core) and $target (its target/) set:
# the allocator settings and the small preloaded libraries every infuse JVM runs with.

# glibc gives large blocks their own mappings and returns them to the OS at every free, so each forward pass
# page-faults its activations back in (the first passes ran 3x slower). Keep freed memory in the process
# instead: no block of its own however large (page faults cost a training step 5% even for the one 94 MB
# gradient), no trimming, and one arena, so a training step's tensors are all carved from, and returned to,
# the same heap (steps ran 20% faster than with glibc's per-thread arenas). docs/PERFORMANCE.md has the runs.
export MALLOC_MMAP_MAX_="${MALLOC_MMAP_MAX_:-0}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-4294967296}"
export MALLOC_TOP_PAD_="${MALLOC_TOP_PAD_:-268435456}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-1}"

# Small libraries preloaded into the JVM, each built once from infuse-core/src/main/native with the C compiler:
#   aligned_reuse.c  lets a freed tensor's memory serve the next tensor of its size (glibc before 2.38 cannot;
#                    a BERT-base training step kept 500 MB more resident without it). INFUSE_ALIGNED_REUSE=0: off.
#   mkl_any_cpu.c    lets MKL inside libtorch choose its kernels by CPU features on AMD processors, where it
#                    otherwise runs its generic ones. AMD only; INFUSE_MKL_ANY_CPU=0: off.
preload() { # name, source file
  local lib="$target/native/lib$1.so" src="$core/src/main/native/$2"
  if [ ! -f "$lib" ] || [ "$src" -nt "$lib" ]; then
    mkdir -p "$target/native"
    cc -shared -fPIC -O2 -o "$lib.tmp" "$src" -ldl 2>/dev/null && mv "$lib.tmp" "$lib" \
      || { rm -f "$lib.tmp"; echo "infuse: no C compiler, so $2 is not preloaded (see the launcher for what that costs)" >&2; }
  fi
  [ -f "$lib" ] && export LD_PRELOAD="$lib${LD_PRELOAD:+:$LD_PRELOAD}"
  return 0
}
[ "${INFUSE_ALIGNED_REUSE:-1}" = 0 ] || preload infuse-aligned-reuse aligned_reuse.c
if [ "${INFUSE_MKL_ANY_CPU:-1}" != 0 ] && grep -q -m1 AuthenticAMD /proc/cpuinfo 2>/dev/null; then
  preload infuse-mkl-any-cpu mkl_any_cpu.c
fi
