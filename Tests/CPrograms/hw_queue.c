/*
 * The kernel selftest's vIOMMU HW-queue sequence (tools/testing/selftests/
 * iommu/iommufd.c: the iommufd_viommu fixture and TEST_F(iommufd_viommu,
 * hw_queue), v6.17) against the raw uAPI with the real ioctl numbers, on the
 * Tegra241 CMDQV driver the model has: the vIOMMU is TEGRA241_CMDQV and the
 * queues are its LVCMDQs instead of the selftest mock's.
 *
 * Built twice by Tests/IOMMUFDUAPITests/CProgramTests.swift:
 * - with -DCMDQV_VIA_LIBRARY: every call goes through cmdqv_ioctl & co.
 *   (linked against libcmdqvc);
 * - without: plain open/ioctl/mmap/read/poll/close, linked against nothing
 *   but libc, and run under LD_PRELOAD=libcmdqv-preload.so.
 * Prints "hw_queue: ok" and exits 0 when every step behaved as the kernel's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cmdqv.h"

#ifdef CMDQV_VIA_LIBRARY
static struct cmdqv_system *sys;
#define SYS_OPEN() cmdqv_open(sys)
#define SYS_IOCTL cmdqv_ioctl
#define SYS_READ cmdqv_read
#define SYS_CLOSE cmdqv_close
static int try_mmap(int fd, size_t length, off_t offset)
{
	struct cmdqv_window *w = cmdqv_mmap(fd, length, PROT_READ | PROT_WRITE, MAP_SHARED, offset);
	if (!w)
		return errno;
	cmdqv_munmap(w);
	return 0;
}
#else
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#define SYS_OPEN() open("/dev/iommu", O_RDWR)
#define SYS_IOCTL ioctl
#define SYS_READ read
#define SYS_CLOSE close
static int try_mmap(int fd, size_t length, off_t offset)
{
	void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
	if (p == MAP_FAILED)
		return errno;
	munmap(p, length);
	return 0;
}
#endif

#define PAGE_SIZE 4096
static int failures;

#define EXPECT(cond)                                                                  \
	do {                                                                          \
		if (!(cond)) {                                                        \
			fprintf(stderr, "%s:%d: %s failed (errno %d)\n", __FILE__, __LINE__, #cond, errno); \
			failures++;                                                   \
		}                                                                     \
	} while (0)
#define EXPECT_OK(call) EXPECT((call) == 0)
#define EXPECT_ERRNO(e, call) EXPECT((call) == -1 && errno == (e))

static int fd;

static int ioas_map_fixed(uint32_t ioas, void *buffer, uint64_t length, uint64_t iova)
{
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas,
		.user_va = (uintptr_t)buffer,
		.length = length,
		.iova = iova,
	};
	return SYS_IOCTL(fd, IOMMU_IOAS_MAP, &cmd);
}

static int ioas_unmap(uint32_t ioas, uint64_t iova, uint64_t length)
{
	struct iommu_ioas_unmap cmd = { .size = sizeof(cmd), .ioas_id = ioas, .iova = iova, .length = length };
	return SYS_IOCTL(fd, IOMMU_IOAS_UNMAP, &cmd);
}

static int hw_queue_alloc(uint32_t viommu, uint32_t index, uint64_t iova, uint64_t length, uint32_t *out)
{
	struct iommu_hw_queue_alloc cmd = {
		.size = sizeof(cmd),
		.viommu_id = viommu,
		.type = IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV,
		.index = index,
		.nesting_parent_iova = iova,
		.length = length,
	};
	int rc = SYS_IOCTL(fd, IOMMU_HW_QUEUE_ALLOC, &cmd);
	if (rc == 0 && out)
		*out = cmd.out_hw_queue_id;
	return rc;
}

static int destroy(uint32_t id)
{
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = id };
	return SYS_IOCTL(fd, IOMMU_DESTROY, &cmd);
}

int main(void)
{
#ifdef CMDQV_VIA_LIBRARY
	sys = cmdqv_system_create("default");
	if (!sys) {
		fprintf(stderr, "cmdqv_system_create: %s\n", cmdqv_last_error());
		return 1;
	}
#endif
	fd = SYS_OPEN();
	if (fd < 0) {
		perror("open /dev/iommu");
		return 1;
	}

	/* FIXTURE_SETUP(iommufd_viommu) */
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_IOAS_ALLOC, &ioas));
	struct iommu_test_cmd limit = { .size = sizeof(limit), .op = IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT };
	limit.memory_limit.limit = 65536;
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_TEST_CMD, &limit));
	struct iommu_test_cmd mock = { .size = sizeof(mock), .op = IOMMU_TEST_OP_MOCK_DOMAIN, .id = ioas.out_ioas_id };
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_TEST_CMD, &mock));
	uint32_t device_id = mock.mock_domain.out_idev_id;

	struct iommu_hwpt_alloc parent = {
		.size = sizeof(parent),
		.flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
		.dev_id = device_id,
		.pt_id = ioas.out_ioas_id,
	};
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_HWPT_ALLOC, &parent));

	struct iommu_viommu_tegra241_cmdqv vintf = { 0 };
	struct iommu_viommu_alloc viommu = {
		.size = sizeof(viommu),
		.type = IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV,
		.dev_id = device_id,
		.hwpt_id = parent.out_hwpt_id,
		.data_len = sizeof(vintf),
		.data_uptr = (uintptr_t)&vintf,
	};
	/* viommu_negative_tests: a HWPT that is not a nest parent is EINVAL. */
	viommu.hwpt_id = mock.mock_domain.out_hwpt_id;
	EXPECT_ERRNO(EINVAL, SYS_IOCTL(fd, IOMMU_VIOMMU_ALLOC, &viommu));
	viommu.hwpt_id = parent.out_hwpt_id;
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_VIOMMU_ALLOC, &viommu));
	uint32_t viommu_id = viommu.out_viommu_id;
	EXPECT(vintf.out_vintf_mmap_length == 0x10000);
	/* viommu_alloc_with_data: mmap at a wrong offset or length is ENXIO. */
	EXPECT(try_mmap(fd, vintf.out_vintf_mmap_length, vintf.out_vintf_mmap_offset + PAGE_SIZE) == ENXIO);
	EXPECT(try_mmap(fd, 2 * vintf.out_vintf_mmap_length, vintf.out_vintf_mmap_offset) == ENXIO);
	EXPECT(try_mmap(fd, vintf.out_vintf_mmap_length, vintf.out_vintf_mmap_offset) == 0);
	/* Unknown ioctl numbers are ENOTTY; a short size is EINVAL. */
	EXPECT_ERRNO(ENOTTY, SYS_IOCTL(fd, 0x3B7F, &ioas));
	struct iommu_destroy short_destroy = { .size = 4, .id = 1 };
	EXPECT_ERRNO(EINVAL, SYS_IOCTL(fd, IOMMU_DESTROY, &short_destroy));

	/* TEST_F(iommufd_viommu, hw_queue) */
	uint64_t iova = 0x1000000; /* MOCK_APERTURE_START */
	void *buffer = aligned_alloc(PAGE_SIZE, 2 * PAGE_SIZE);
	memset(buffer, 0, 2 * PAGE_SIZE);
	uint32_t hw_queue_id[2] = { 0, 0 };
	EXPECT_OK(ioas_map_fixed(ioas.out_ioas_id, buffer, 2 * PAGE_SIZE, iova));
	/* Fail index=1 and index=MAX; must start from index=0 */
	EXPECT_ERRNO(EIO, hw_queue_alloc(viommu_id, 1, iova, PAGE_SIZE, &hw_queue_id[0]));
	EXPECT_ERRNO(EINVAL, hw_queue_alloc(viommu_id, 128, iova, PAGE_SIZE, &hw_queue_id[0]));
	/* Allocate index=0, declare ownership of the iova */
	EXPECT_OK(hw_queue_alloc(viommu_id, 0, iova, PAGE_SIZE, &hw_queue_id[0]));
	/* Fail duplicated index */
	EXPECT_ERRNO(EEXIST, hw_queue_alloc(viommu_id, 0, iova, PAGE_SIZE, &hw_queue_id[0]));
	/* Fail unmap, due to iova ownership */
	EXPECT_ERRNO(EBUSY, ioas_unmap(ioas.out_ioas_id, iova, 2 * PAGE_SIZE));
	/* Allocate index=1 on the second page */
	EXPECT_OK(hw_queue_alloc(viommu_id, 1, iova + PAGE_SIZE, PAGE_SIZE, &hw_queue_id[1]));
	/* Fail to destroy, due to dependency */
	EXPECT_ERRNO(EBUSY, destroy(hw_queue_id[0]));
	/* Destroy in descending order */
	EXPECT_OK(destroy(hw_queue_id[1]));
	EXPECT_OK(destroy(hw_queue_id[0]));
	/* Now it can unmap */
	EXPECT_OK(ioas_unmap(ioas.out_ioas_id, iova, 2 * PAGE_SIZE));

	/* vEVENTQ: its fd reads 0 and polls not readable while empty. */
	struct iommu_veventq_alloc veventq = {
		.size = sizeof(veventq),
		.viommu_id = viommu_id,
		.type = IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV,
		.veventq_depth = 2,
	};
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_VEVENTQ_ALLOC, &veventq));
	EXPECT_ERRNO(EEXIST, SYS_IOCTL(fd, IOMMU_VEVENTQ_ALLOC, &veventq));
	int event_fd = (int)veventq.out_veventq_fd;
	char records[64];
	EXPECT(SYS_READ(event_fd, records, sizeof(records)) == 0);
	struct pollfd pfd = { .fd = event_fd, .events = POLLIN };
	EXPECT(poll(&pfd, 1, 0) == 0);
	EXPECT_ERRNO(EBUSY, destroy(veventq.out_veventq_id));
	EXPECT_OK(SYS_CLOSE(event_fd));
	EXPECT_OK(destroy(veventq.out_veventq_id));

	EXPECT_OK(SYS_CLOSE(fd));
	free(buffer);
#ifdef CMDQV_VIA_LIBRARY
	cmdqv_system_destroy(sys);
#endif
	if (failures) {
		fprintf(stderr, "hw_queue: %d failure(s)\n", failures);
		return 1;
	}
	printf("hw_queue: ok\n");
	return 0;
}
