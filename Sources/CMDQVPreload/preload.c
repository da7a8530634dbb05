/*
 * The LD_PRELOAD shim: see include/cmdqv_preload.h and Docs/C.md.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "cmdqv_preload.h"

static struct cmdqv_system *preload_system;

#define MAX_MAPPINGS 64
static struct {
	void *address;
	size_t length;
	struct cmdqv_window *window;
} mappings[MAX_MAPPINGS];

#define REAL(name) real_##name
#define RESOLVE(name) \
	do { \
		if (!REAL(name)) \
			REAL(name) = dlsym(RTLD_NEXT, #name); \
	} while (0)

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_ioctl)(int, unsigned long, ...);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_write)(int, const void *, size_t);
static int (*real_close)(int);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static void *(*real_mmap64)(void *, size_t, int, int, int, off_t);
static int (*real_munmap)(void *, size_t);
static int (*real_poll)(struct pollfd *, nfds_t, int);
static int (*real_ppoll)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *);

struct cmdqv_system *cmdqv_preload_system(void)
{
	return preload_system;
}

struct cmdqv_window *cmdqv_preload_window(const void *address, size_t *offset)
{
	for (int i = 0; i < MAX_MAPPINGS; i++) {
		const char *base = mappings[i].address;
		if (base && (const char *)address >= base && (const char *)address < base + mappings[i].length) {
			if (offset)
				*offset = (size_t)((const char *)address - base);
			return mappings[i].window;
		}
	}
	return NULL;
}

static int is_iommu_path(const char *path)
{
	return path && strcmp(path, "/dev/iommu") == 0;
}

static int open_model(void)
{
	if (!preload_system) {
		const char *scenario = getenv("CMDQV_SCENARIO");
		preload_system = scenario && *scenario ? cmdqv_system_create_from_scenario(scenario)
						       : cmdqv_system_create(getenv("CMDQV_PRESET"));
		if (!preload_system)
			return -1;
	}
	return cmdqv_open(preload_system);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	if (is_iommu_path(path))
		return open_model();
	RESOLVE(open);
	return REAL(open)(path, flags, mode);
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	if (is_iommu_path(path))
		return open_model();
	RESOLVE(open64);
	return REAL(open64)(path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	if (is_iommu_path(path))
		return open_model();
	RESOLVE(openat);
	return REAL(openat)(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? va_arg(ap, mode_t) : 0;
	va_end(ap);
	if (is_iommu_path(path))
		return open_model();
	RESOLVE(openat64);
	return REAL(openat64)(dirfd, path, flags, mode);
}

int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *argument = va_arg(ap, void *);
	va_end(ap);
	if (cmdqv_owns_fd(fd))
		return cmdqv_ioctl(fd, request, argument);
	RESOLVE(ioctl);
	return REAL(ioctl)(fd, request, argument);
}

ssize_t read(int fd, void *buffer, size_t count)
{
	if (cmdqv_owns_fd(fd))
		return cmdqv_read(fd, buffer, count);
	RESOLVE(read);
	return REAL(read)(fd, buffer, count);
}

ssize_t write(int fd, const void *buffer, size_t count)
{
	if (cmdqv_owns_fd(fd))
		return cmdqv_write(fd, buffer, count);
	RESOLVE(write);
	return REAL(write)(fd, buffer, count);
}

int close(int fd)
{
	if (cmdqv_owns_fd(fd))
		return cmdqv_close(fd);
	RESOLVE(close);
	return REAL(close)(fd);
}

static void *map_model(size_t length, int prot, int flags, int fd, off_t offset)
{
	struct cmdqv_window *window = cmdqv_mmap(fd, length, prot, flags, offset);
	if (!window)
		return MAP_FAILED;
	int slot = -1;
	for (int i = 0; i < MAX_MAPPINGS && slot < 0; i++)
		if (!mappings[i].address)
			slot = i;
	RESOLVE(mmap);
	void *shadow = slot < 0 ? MAP_FAILED
				: REAL(mmap)(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shadow == MAP_FAILED) {
		cmdqv_munmap(window);
		errno = ENOMEM;
		return MAP_FAILED;
	}
	/* A region of memory (the selftest mock vIOMMU's pages) starts with
	 * its contents; a VINTF page0 is registers, reached through the
	 * window helpers only. */
	if (cmdqv_window_vintf(window) < 0)
		for (size_t offset = 0; offset + 4 <= length; offset += 4)
			((uint32_t *)shadow)[offset / 4] = cmdqv_window_read32(window, offset);
	mappings[slot].address = shadow;
	mappings[slot].length = length;
	mappings[slot].window = window;
	return shadow;
}

void *mmap(void *address, size_t length, int prot, int flags, int fd, off_t offset)
{
	if (fd >= 0 && !(flags & MAP_ANONYMOUS) && cmdqv_owns_fd(fd))
		return map_model(length, prot, flags, fd, offset);
	RESOLVE(mmap);
	return REAL(mmap)(address, length, prot, flags, fd, offset);
}

void *mmap64(void *address, size_t length, int prot, int flags, int fd, off_t offset)
{
	if (fd >= 0 && !(flags & MAP_ANONYMOUS) && cmdqv_owns_fd(fd))
		return map_model(length, prot, flags, fd, offset);
	RESOLVE(mmap64);
	return REAL(mmap64)(address, length, prot, flags, fd, offset);
}

int munmap(void *address, size_t length)
{
	for (int i = 0; i < MAX_MAPPINGS; i++) {
		if (mappings[i].address && mappings[i].address == address) {
			cmdqv_munmap(mappings[i].window);
			mappings[i].address = NULL;
			mappings[i].window = NULL;
			break;
		}
	}
	RESOLVE(munmap);
	return REAL(munmap)(address, length);
}

/* The sync point: before looking at readiness, run the model (interrupts
 * reach the drivers, which queue vEVENTQ records). */
static void advance(struct pollfd *fds, nfds_t nfds)
{
	if (!preload_system)
		return;
	for (nfds_t i = 0; i < nfds; i++) {
		if (cmdqv_owns_fd(fds[i].fd)) {
			cmdqv_step(preload_system, CMDQV_PRELOAD_POLL_CYCLES);
			return;
		}
	}
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	advance(fds, nfds);
	RESOLVE(poll);
	return REAL(poll)(fds, nfds, timeout);
}

int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *mask)
{
	advance(fds, nfds);
	RESOLVE(ppoll);
	return REAL(ppoll)(fds, nfds, timeout, mask);
}
