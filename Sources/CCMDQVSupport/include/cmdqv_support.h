/* Internal helpers of libcmdqvc that Swift cannot call directly (Linux
 * eventfd(2)). Not part of the public interface (cmdqv.h). */
#ifndef CMDQV_SUPPORT_H
#define CMDQV_SUPPORT_H

/* A non-blocking, close-on-exec eventfd with counter 0, or -1 with errno. */
int cmdqv_support_eventfd(void);

#endif
