#define _GNU_SOURCE
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "cmdqv_support.h"

int cmdqv_support_eventfd(void)
{
	return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

/* glibc's eventfd_write/eventfd_read use its internal write/read, which an
 * LD_PRELOAD'ed write/read does not interpose. */
void cmdqv_support_eventfd_signal(int fd)
{
	(void)eventfd_write(fd, 1);
}

void cmdqv_support_eventfd_drain(int fd)
{
	eventfd_t value;
	(void)eventfd_read(fd, &value);
}

int cmdqv_support_close(int fd)
{
	return (int)syscall(SYS_close, fd);
}

long cmdqv_support_read_self(void *dst, unsigned long src, unsigned long len)
{
	struct iovec local = { .iov_base = dst, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)src, .iov_len = len };
	return (long)process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
}

long cmdqv_support_write_self(unsigned long dst, const void *src, unsigned long len)
{
	struct iovec local = { .iov_base = (void *)src, .iov_len = len };
	struct iovec remote = { .iov_base = (void *)dst, .iov_len = len };
	return (long)process_vm_writev(getpid(), &local, 1, &remote, 1, 0);
}
