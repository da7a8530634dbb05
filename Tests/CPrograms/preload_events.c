/*
 * A plain libc program (no link against the model) that runs under
 * LD_PRELOAD=libcmdqv-preload.so and uses the shim's documented escape
 * hatches, looked up at run time: cmdqv_bind_device() stands in for VFIO,
 * cmdqv_preload_window() turns the pointer
 * mmap() returned into the VINTF window for MMIO, and poll() is the sync
 * point where the model runs. The guest's illegal command becomes a vEVENTQ
 * record that poll() reports and read() returns. Prints "preload_events: ok".
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmdqv.h"

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: %s failed (errno %d)\n", __FILE__, __LINE__, #cond, errno); \
			return 1;                                                        \
		}                                                                        \
	} while (0)

int main(void)
{
	struct cmdqv_window *(*window_of)(const void *, size_t *) = dlsym(RTLD_DEFAULT, "cmdqv_preload_window");
	void (*write32)(struct cmdqv_window *, size_t, uint32_t) = dlsym(RTLD_DEFAULT, "cmdqv_window_write32");
	uint32_t (*read32)(struct cmdqv_window *, size_t) = dlsym(RTLD_DEFAULT, "cmdqv_window_read32");
	int (*bind)(int, uint32_t, uint32_t *) = dlsym(RTLD_DEFAULT, "cmdqv_bind_device");
	int (*attach)(int, uint32_t, uint32_t *) = dlsym(RTLD_DEFAULT, "cmdqv_attach_device");
	CHECK(window_of && write32 && read32 && bind && attach); /* only under the shim */

	int fd = open("/dev/iommu", O_RDWR);
	CHECK(fd >= 0);
	uint8_t *ram = aligned_alloc(4096, 1 << 16);
	memset(ram, 0, 1 << 16);
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	CHECK(ioctl(fd, IOMMU_IOAS_ALLOC, &ioas) == 0);
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas.out_ioas_id, .user_va = (uintptr_t)ram, .length = 1 << 16, .iova = 0x80000000,
	};
	CHECK(ioctl(fd, IOMMU_IOAS_MAP, &map) == 0);
	/* The passthrough device: VFIO binds it in a real VMM; here the
	 * library does (a plain libc program has no VFIO device file). */
	uint32_t dev, pt = ioas.out_ioas_id;
	CHECK(bind(fd, 0x100, &dev) == 0);
	CHECK(attach(fd, dev, &pt) == 0);
	struct iommu_hwpt_alloc parent = {
		.size = sizeof(parent), .flags = IOMMU_HWPT_ALLOC_NEST_PARENT, .dev_id = dev, .pt_id = ioas.out_ioas_id,
	};
	CHECK(ioctl(fd, IOMMU_HWPT_ALLOC, &parent) == 0);
	struct iommu_viommu_tegra241_cmdqv data = { 0 };
	struct iommu_viommu_alloc viommu = {
		.size = sizeof(viommu), .type = IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV, .dev_id = dev,
		.hwpt_id = parent.out_hwpt_id, .data_len = sizeof(data), .data_uptr = (uintptr_t)&data,
	};
	CHECK(ioctl(fd, IOMMU_VIOMMU_ALLOC, &viommu) == 0);
	struct iommu_veventq_alloc veventq = {
		.size = sizeof(veventq), .viommu_id = viommu.out_viommu_id,
		.type = IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV, .veventq_depth = 4,
	};
	CHECK(ioctl(fd, IOMMU_VEVENTQ_ALLOC, &veventq) == 0);
	struct iommu_hw_queue_alloc queue = {
		.size = sizeof(queue), .viommu_id = viommu.out_viommu_id, .type = IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV,
		.index = 0, .nesting_parent_iova = 0x80000000, .length = 4096,
	};
	CHECK(ioctl(fd, IOMMU_HW_QUEUE_ALLOC, &queue) == 0);

	uint8_t *page0 = mmap(NULL, data.out_vintf_mmap_length, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			      (off_t)data.out_vintf_mmap_offset);
	CHECK(page0 != MAP_FAILED);
	size_t base;
	struct cmdqv_window *window = window_of(page0, &base);
	CHECK(window && base == 0);

	int efd = (int)veventq.out_veventq_fd;
	struct pollfd pfd = { .fd = efd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 0) == 0); /* nothing yet (and the queue enables meanwhile) */
	write32(window, 0x8, 1);      /* LVCMDQ0 CONFIG.CMDQ_EN */
	CHECK(poll(&pfd, 1, 0) == 0);
	CHECK(read32(window, 0xc) & 1); /* STATUS.CMDQ_EN_OK after the sync point */
	uint64_t illegal = 0x7f;
	memcpy(ram, &illegal, 8);
	write32(window, 0x4, 1); /* PROD */
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN));
	unsigned char record[64];
	ssize_t n = read(efd, record, sizeof(record));
	CHECK(n == 24);
	uint64_t map0;
	memcpy(&map0, record + 8, 8);
	CHECK(map0 & 1);
	CHECK(poll(&pfd, 1, 0) == 0);
	CHECK(munmap(page0, data.out_vintf_mmap_length) == 0);
	CHECK(close(efd) == 0);
	CHECK(close(fd) == 0);
	printf("preload_events: ok\n");
	return 0;
}
