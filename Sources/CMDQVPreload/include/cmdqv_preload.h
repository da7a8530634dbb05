/*
 * libcmdqv-preload: LD_PRELOAD it into a program written against the real
 * iommufd uAPI and open("/dev/iommu") reaches the CMDQV model (Docs/C.md).
 *
 * Intercepted: open/open64/openat/openat64 of "/dev/iommu", and ioctl,
 * read, write, close, mmap/mmap64, munmap, poll and ppoll on the
 * descriptors and mappings the model handed out; everything else goes to
 * libc (dlsym(RTLD_NEXT)).
 *
 * The system behind every iommufd is created on the first open, from
 * $CMDQV_SCENARIO (a scenario file's device section) or $CMDQV_PRESET
 * ("default", "qemu-guest"); default "default".
 *
 * A preload-aware program may use these to reach what plain loads and
 * stores cannot: the mmapped VINTF page is ordinary memory, not the model's
 * registers.
 */
#ifndef CMDQV_PRELOAD_H
#define CMDQV_PRELOAD_H

#include "cmdqv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The system the shim created (NULL before the first open("/dev/iommu")). */
struct cmdqv_system *cmdqv_preload_system(void);

/* The window behind a pointer mmap() returned for an iommufd (NULL if it is
 * not one): use cmdqv_window_read32/write32 with (address - base). */
struct cmdqv_window *cmdqv_preload_window(const void *address, size_t *offset);

/* How many model cycles poll()/ppoll() on a model descriptor run before
 * looking at readiness (the sync point: the model advances only when the
 * program calls into it). */
#define CMDQV_PRELOAD_POLL_CYCLES 100000

#ifdef __cplusplus
}
#endif

#endif
