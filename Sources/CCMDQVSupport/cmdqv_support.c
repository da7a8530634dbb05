#include <sys/eventfd.h>
#include "cmdqv_support.h"

int cmdqv_support_eventfd(void)
{
	return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}
