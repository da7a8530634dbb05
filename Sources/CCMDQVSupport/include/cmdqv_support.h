/* Internal helpers of libcmdqvc that Swift cannot call directly (Linux
 * eventfd(2)), and that must not go through the LD_PRELOAD shim's read,
 * write and close (the eventfds are the shim's own descriptors). Not part
 * of the public interface (cmdqv.h). */
#ifndef CMDQV_SUPPORT_H
#define CMDQV_SUPPORT_H

/* A non-blocking, close-on-exec eventfd with counter 0, or -1 with errno. */
int cmdqv_support_eventfd(void);

/* Adds 1 to the eventfd's counter (POLLIN). */
void cmdqv_support_eventfd_signal(int fd);

/* Resets the eventfd's counter to 0. */
void cmdqv_support_eventfd_drain(int fd);

/* close(2) straight to the kernel. */
int cmdqv_support_close(int fd);

/* Copies up to len bytes from this process's address src to dst without
 * faulting (process_vm_readv on itself): the bytes copied (short at the
 * first unreadable page, including PROT_NONE ones), or -1 with errno when
 * the kernel refuses the call (ENOSYS, EPERM under some seccomp policies). */
long cmdqv_support_read_self(void *dst, unsigned long src, unsigned long len);

/* The same for writing len bytes of src to this process's address dst
 * (process_vm_writev): short at the first unwritable page. */
long cmdqv_support_write_self(unsigned long dst, const void *src, unsigned long len);

#endif
