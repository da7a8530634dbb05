/*
 * The kernel selftest's vIOMMU HW-queue test against the raw uAPI with the
 * real ioctl numbers: the iommufd_viommu fixture (mock_viommu variant) and
 * TEST_F(iommufd_viommu, hw_queue) (tools/testing/selftests/iommu/
 * iommufd.c, v6.17), step by step, on the selftest mock IOMMU.
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
static int fd;
static struct cmdqv_window *mapped;
static int try_mmap(uint64_t length, uint64_t offset)
{
	struct cmdqv_window *w = cmdqv_mmap(fd, length, PROT_READ | PROT_WRITE, MAP_SHARED, (off_t)offset);
	if (!w)
		return errno;
	cmdqv_munmap(w);
	return 0;
}
static uint32_t map_first_word(uint64_t length, uint64_t offset)
{
	mapped = cmdqv_mmap(fd, length, PROT_READ | PROT_WRITE, MAP_SHARED, (off_t)offset);
	return mapped ? cmdqv_window_read32(mapped, 0) : 0;
}
static void unmap_first(void)
{
	cmdqv_munmap(mapped);
}
#else
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>
#define SYS_OPEN() open("/dev/iommu", O_RDWR)
#define SYS_IOCTL ioctl
#define SYS_READ read
#define SYS_CLOSE close
static int fd;
static uint32_t *mapped;
static uint64_t mapped_length;
static int try_mmap(uint64_t length, uint64_t offset)
{
	void *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
	if (p == MAP_FAILED)
		return errno;
	munmap(p, length);
	return 0;
}
static uint32_t map_first_word(uint64_t length, uint64_t offset)
{
	mapped = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)offset);
	mapped_length = length;
	return mapped == MAP_FAILED ? 0 : *mapped;
}
static void unmap_first(void)
{
	munmap(mapped, mapped_length);
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


static int ioas_unmap(uint32_t ioas, uint64_t iova, uint64_t length)
{
	struct iommu_ioas_unmap cmd = { .size = sizeof(cmd), .ioas_id = ioas, .iova = iova, .length = length };
	return SYS_IOCTL(fd, IOMMU_IOAS_UNMAP, &cmd);
}

static int ioas_map(uint32_t ioas, void *buffer, uint64_t length, uint64_t *iova)
{
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas,
		.user_va = (uintptr_t)buffer,
		.length = length,
	};
	int rc = SYS_IOCTL(fd, IOMMU_IOAS_MAP, &cmd);
	if (rc == 0)
		*iova = cmd.iova;
	return rc;
}

static int hw_queue_alloc(uint32_t viommu, uint32_t type, uint32_t index, uint64_t iova, uint64_t length,
			  uint32_t *out)
{
	struct iommu_hw_queue_alloc cmd = {
		.size = sizeof(cmd),
		.viommu_id = viommu,
		.type = type,
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

	/* FIXTURE_SETUP(iommufd_viommu), variant mock_viommu */
	void *buffer = aligned_alloc(PAGE_SIZE, 16 * PAGE_SIZE);
	memset(buffer, 0, 16 * PAGE_SIZE);
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_IOAS_ALLOC, &ioas));
	EXPECT(ioas.out_ioas_id == 1);
	struct iommu_test_cmd limit = { .size = sizeof(limit), .op = IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT };
	limit.memory_limit.limit = 65536;
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_TEST_CMD, &limit));
	struct iommu_test_cmd mock = { .size = sizeof(mock), .op = IOMMU_TEST_OP_MOCK_DOMAIN, .id = ioas.out_ioas_id };
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_TEST_CMD, &mock));
	EXPECT(mock.mock_domain.out_stdev_id == 2 && mock.mock_domain.out_idev_id == 3 &&
	       mock.mock_domain.out_hwpt_id == 4);
	uint32_t device_id = mock.mock_domain.out_idev_id;
	struct iommu_hwpt_alloc parent = {
		.size = sizeof(parent),
		.flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
		.dev_id = device_id,
		.pt_id = ioas.out_ioas_id,
	};
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_HWPT_ALLOC, &parent));
	EXPECT(parent.out_hwpt_id == 5);
	struct iommu_viommu_alloc viommu = {
		.size = sizeof(viommu),
		.type = IOMMU_VIOMMU_TYPE_SELFTEST,
		.dev_id = device_id,
		.hwpt_id = parent.out_hwpt_id,
	};
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_VIOMMU_ALLOC, &viommu));
	uint32_t viommu_id = viommu.out_viommu_id;
	EXPECT(viommu_id == 6);
	uint32_t iotlb = IOMMU_TEST_IOTLB_DEFAULT;
	struct iommu_hwpt_alloc nested = {
		.size = sizeof(nested),
		.dev_id = device_id,
		.pt_id = viommu_id,
		.data_type = IOMMU_HWPT_DATA_SELFTEST,
		.data_len = sizeof(iotlb),
		.data_uptr = (uintptr_t)&iotlb,
	};
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_HWPT_ALLOC, &nested));
	EXPECT(nested.out_hwpt_id == 7);
	/* viommu_negative_tests: the parent and the vIOMMU are in use. */
	EXPECT_ERRNO(EBUSY, destroy(parent.out_hwpt_id));
	EXPECT_ERRNO(EBUSY, destroy(viommu_id));
	/* Dispatch: an unknown number is ENOTTY, a short size EINVAL. */
	EXPECT_ERRNO(ENOTTY, SYS_IOCTL(fd, 0x3B7F, &ioas));
	struct iommu_destroy short_destroy = { .size = 4, .id = 1 };
	EXPECT_ERRNO(EINVAL, SYS_IOCTL(fd, IOMMU_DESTROY, &short_destroy));

	/* TEST_F(iommufd_viommu, hw_queue) */
	uint64_t iova = 1ull << 24, iova2; /* MOCK_APERTURE_START */
	uint32_t hw_queue_id[2] = { 0, 0 };
	/* Fail IOMMU_HW_QUEUE_TYPE_DEFAULT */
	EXPECT_ERRNO(EOPNOTSUPP, hw_queue_alloc(viommu_id, IOMMU_HW_QUEUE_TYPE_DEFAULT, 0, iova, PAGE_SIZE, &hw_queue_id[0]));
	/* Fail queue addr and length */
	EXPECT_ERRNO(EINVAL, hw_queue_alloc(viommu_id, IOMMU_HW_QUEUE_TYPE_SELFTEST, 0, iova, 0, &hw_queue_id[0]));
	EXPECT_ERRNO(EOVERFLOW, hw_queue_alloc(viommu_id, IOMMU_HW_QUEUE_TYPE_SELFTEST, 0, ~(uint64_t)0, PAGE_SIZE,
					       &hw_queue_id[0]));
	/* Fail missing iova */
	EXPECT_ERRNO(ENOENT, hw_queue_alloc(viommu_id, IOMMU_HW_QUEUE_TYPE_SELFTEST, 0, iova, PAGE_SIZE, &hw_queue_id[0]));
	/* Map iova */
	EXPECT_OK(ioas_map(ioas.out_ioas_id, buffer, PAGE_SIZE, &iova));
	EXPECT_OK(ioas_map(ioas.out_ioas_id, (char *)buffer + PAGE_SIZE, PAGE_SIZE, &iova2));
	/* Fail index=1 and =MAX; must start from index=0 */
	EXPECT_ERRNO(EIO, hw_queue_alloc(viommu_id, IOMMU_HW_QUEUE_TYPE_SELFTEST, 1, iova, PAGE_SIZE, &hw_queue_id[0]));
	EXPECT_ERRNO(EINVAL, hw_queue_alloc(viommu_id, IOMMU_HW_QUEUE_TYPE_SELFTEST, 2 /* IOMMU_TEST_HW_QUEUE_MAX */,
					    iova, PAGE_SIZE, &hw_queue_id[0]));
	/* Allocate index=0, declare ownership of the iova */
	EXPECT_OK(hw_queue_alloc(viommu_id, IOMMU_HW_QUEUE_TYPE_SELFTEST, 0, iova, PAGE_SIZE, &hw_queue_id[0]));
	/* Fail duplicated index */
	EXPECT_ERRNO(EEXIST, hw_queue_alloc(viommu_id, IOMMU_HW_QUEUE_TYPE_SELFTEST, 0, iova, PAGE_SIZE, &hw_queue_id[0]));
	/* Fail unmap, due to iova ownership */
	EXPECT_ERRNO(EBUSY, ioas_unmap(ioas.out_ioas_id, iova, PAGE_SIZE));
	/* The 2nd page is not pinned, so it can be unmmap */
	EXPECT_OK(ioas_unmap(ioas.out_ioas_id, iova2, PAGE_SIZE));
	/* Allocate index=1, with an unaligned case */
	EXPECT_OK(hw_queue_alloc(viommu_id, IOMMU_HW_QUEUE_TYPE_SELFTEST, 1, iova + PAGE_SIZE / 2, PAGE_SIZE / 2,
				 &hw_queue_id[1]));
	/* Fail to destroy, due to dependency */
	EXPECT_ERRNO(EBUSY, destroy(hw_queue_id[0]));
	/* Destroy in descending order */
	EXPECT_OK(destroy(hw_queue_id[1]));
	EXPECT_OK(destroy(hw_queue_id[0]));
	/* Now it can unmap the first page */
	EXPECT_OK(ioas_unmap(ioas.out_ioas_id, iova, PAGE_SIZE));

	/* A vEVENTQ of the selftest type: TRIGGER_VEVENT needs a vDEVICE and
	 * the device on the nested HWPT; its fd polls readable and reads one
	 * 12-byte record (header + virt_id). */
	struct iommu_veventq_alloc veventq = {
		.size = sizeof(veventq),
		.viommu_id = viommu_id,
		.type = 0xbeefbeef, /* IOMMU_VEVENTQ_TYPE_SELFTEST */
		.veventq_depth = 2,
	};
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_VEVENTQ_ALLOC, &veventq));
	EXPECT_ERRNO(EEXIST, SYS_IOCTL(fd, IOMMU_VEVENTQ_ALLOC, &veventq));
	struct iommu_vdevice_alloc vdev = {
		.size = sizeof(vdev), .viommu_id = viommu_id, .dev_id = device_id, .virt_id = 0x99,
	};
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_VDEVICE_ALLOC, &vdev));
	struct iommu_test_cmd replace = {
		.size = sizeof(replace), .op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE, .id = mock.mock_domain.out_stdev_id,
	};
	replace.mock_domain_replace.pt_id = nested.out_hwpt_id;
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_TEST_CMD, &replace));
	int event_fd = (int)veventq.out_veventq_fd;
	char records[64];
	EXPECT(SYS_READ(event_fd, records, sizeof(records)) == 0);
	struct pollfd pfd = { .fd = event_fd, .events = POLLIN };
	EXPECT(poll(&pfd, 1, 0) == 0);
	struct iommu_test_cmd trigger = { .size = sizeof(trigger), .op = IOMMU_TEST_OP_TRIGGER_VEVENT };
	trigger.trigger_vevent.dev_id = device_id;
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_TEST_CMD, &trigger));
	EXPECT(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN));
	EXPECT(SYS_READ(event_fd, records, sizeof(records)) == 12);
	uint32_t virt_id;
	memcpy(&virt_id, records + 8, 4);
	EXPECT(virt_id == 0x99);
	EXPECT_ERRNO(EBUSY, destroy(veventq.out_veventq_id));
	EXPECT_OK(SYS_CLOSE(event_fd));
	EXPECT_OK(destroy(veventq.out_veventq_id));

	/* TEST_F(iommufd_viommu, viommu_alloc_with_data): a second mock
	 * vIOMMU with data echoes in_data and exports two pages to mmap. */
	struct iommu_viommu_selftest data = { .in_data = 0xbeef };
	struct iommu_viommu_alloc with_data = {
		.size = sizeof(with_data),
		.type = IOMMU_VIOMMU_TYPE_SELFTEST,
		.dev_id = device_id,
		.hwpt_id = parent.out_hwpt_id,
		.data_len = sizeof(data),
		.data_uptr = (uintptr_t)&data,
	};
	EXPECT_OK(SYS_IOCTL(fd, IOMMU_VIOMMU_ALLOC, &with_data));
	EXPECT(data.out_data == data.in_data);
	/* Negative mmap tests -- offset and length cannot be changed */
	EXPECT(try_mmap(data.out_mmap_length, data.out_mmap_offset + PAGE_SIZE) == ENXIO);
	EXPECT(try_mmap(data.out_mmap_length, data.out_mmap_offset + PAGE_SIZE * 2) == ENXIO);
	EXPECT(try_mmap(data.out_mmap_length / 2, data.out_mmap_offset) == ENXIO);
	EXPECT(try_mmap(data.out_mmap_length * 2, data.out_mmap_offset) == ENXIO);
	/* Now do a correct mmap for a loopback test */
	EXPECT(map_first_word(data.out_mmap_length, data.out_mmap_offset) == data.in_data);
	/* The owner of the mmap region should be blocked */
	EXPECT_ERRNO(EBUSY, destroy(with_data.out_viommu_id));
	unmap_first();
	EXPECT_OK(destroy(with_data.out_viommu_id));

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
