/*
 * A VMM's whole iommufd flow for a VM with an accelerated vSMMU on a
 * Tegra241 CMDQV, in C, through libcmdqvc (Docs/C.md). The same steps QEMU
 * takes (hw/arm/tegra241-cmdqv.c); here the "guest" is this program too: it
 * writes commands into guest RAM (its own buffer) and rings the LVCMDQ
 * through the mmapped VINTF page.
 *
 *   clang -I Sources/CCMDQV/include vmm.c -L .build/debug -lcmdqvc \
 *         -Wl,-rpath,$PWD/.build/debug -o vmm && ./vmm trace.jsonl
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cmdqv.h"

#define CHECK(call)                                                                       \
	do {                                                                              \
		if ((call) != 0) {                                                        \
			fprintf(stderr, "%s:%d: %s: %s (%s)\n", __FILE__, __LINE__, #call,    \
				strerror(errno), cmdqv_last_error());                     \
			exit(1);                                                          \
		}                                                                         \
	} while (0)

#define RAM_IPA 0x80000000ull  /* guest RAM at 2 GiB (IPA) */
#define RAM_SIZE (1u << 20)
#define QUEUE_IPA RAM_IPA       /* LVCMDQ0's ring: the first page of RAM */
#define LOG2_ENTRIES 8

/* LVCMDQ0's registers in the VINTF page0 (Docs/Registers.md). */
#define VCMDQ_CONS 0x0
#define VCMDQ_PROD 0x4
#define VCMDQ_CONFIG 0x8
#define VCMDQ_STATUS 0xc

static void put_command(uint8_t *ring, uint32_t index, uint64_t dword0, uint64_t dword1)
{
	memcpy(ring + 16 * index, &dword0, 8);
	memcpy(ring + 16 * index + 8, &dword1, 8);
}

int main(int argc, char **argv)
{
	struct cmdqv_system *sys = cmdqv_system_create("default");
	if (!sys)
		return 1;
	if (argc > 1)
		CHECK(cmdqv_trace_open(sys, argv[1], "jsonl"));
	int fd = cmdqv_open(sys);
	if (fd < 0)
		return 1;

	/* Guest RAM: this process's memory, mapped at RAM_IPA. */
	uint8_t *ram = aligned_alloc(4096, RAM_SIZE);
	memset(ram, 0, RAM_SIZE);
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	CHECK(cmdqv_ioctl(fd, IOMMU_IOAS_ALLOC, &ioas));
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = ioas.out_ioas_id,
		.user_va = (uintptr_t)ram,
		.length = RAM_SIZE,
		.iova = RAM_IPA,
	};
	CHECK(cmdqv_ioctl(fd, IOMMU_IOAS_MAP, &map));

	/* The passthrough device (pSID 0x100), a nest-parent HWPT, attached. */
	uint32_t dev_id;
	CHECK(cmdqv_bind_device(fd, 0x100, &dev_id));
	struct iommu_hwpt_alloc parent = {
		.size = sizeof(parent),
		.flags = IOMMU_HWPT_ALLOC_NEST_PARENT,
		.dev_id = dev_id,
		.pt_id = ioas.out_ioas_id,
	};
	CHECK(cmdqv_ioctl(fd, IOMMU_HWPT_ALLOC, &parent));
	uint32_t pt_id = parent.out_hwpt_id;
	CHECK(cmdqv_attach_device(fd, dev_id, &pt_id));

	/* The vIOMMU: a VINTF of the CMDQV, and its page0 mmapped. */
	struct iommu_viommu_tegra241_cmdqv vintf = { 0 };
	struct iommu_viommu_alloc viommu = {
		.size = sizeof(viommu),
		.type = IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV,
		.dev_id = dev_id,
		.hwpt_id = parent.out_hwpt_id,
		.data_len = sizeof(vintf),
		.data_uptr = (uintptr_t)&vintf,
	};
	CHECK(cmdqv_ioctl(fd, IOMMU_VIOMMU_ALLOC, &viommu));
	struct cmdqv_window *page0 = cmdqv_mmap(fd, vintf.out_vintf_mmap_length, PROT_READ | PROT_WRITE,
						MAP_SHARED, (off_t)vintf.out_vintf_mmap_offset);
	if (!page0)
		return 1;

	/* The guest's vSID 0x20 for the device, its STE (bypass) as a nested HWPT. */
	struct iommu_vdevice_alloc vdev = {
		.size = sizeof(vdev), .viommu_id = viommu.out_viommu_id, .dev_id = dev_id, .virt_id = 0x20,
	};
	CHECK(cmdqv_ioctl(fd, IOMMU_VDEVICE_ALLOC, &vdev));
	struct iommu_hwpt_arm_smmuv3 ste = { .ste = { 0x9, 0 } }; /* V | CONFIG=BYPASS */
	struct iommu_hwpt_alloc nested = {
		.size = sizeof(nested),
		.dev_id = dev_id,
		.pt_id = viommu.out_viommu_id,
		.data_type = IOMMU_HWPT_DATA_ARM_SMMUV3,
		.data_len = sizeof(ste),
		.data_uptr = (uintptr_t)&ste,
	};
	CHECK(cmdqv_ioctl(fd, IOMMU_HWPT_ALLOC, &nested));
	pt_id = nested.out_hwpt_id;
	CHECK(cmdqv_attach_device(fd, dev_id, &pt_id));

	/* A vEVENTQ for the VINTF's errors, and LVCMDQ0 in guest RAM. */
	struct iommu_veventq_alloc veventq = {
		.size = sizeof(veventq),
		.viommu_id = viommu.out_viommu_id,
		.type = IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV,
		.veventq_depth = 16,
	};
	CHECK(cmdqv_ioctl(fd, IOMMU_VEVENTQ_ALLOC, &veventq));
	struct iommu_hw_queue_alloc queue = {
		.size = sizeof(queue),
		.viommu_id = viommu.out_viommu_id,
		.type = IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV,
		.index = 0,
		.nesting_parent_iova = QUEUE_IPA,
		.length = 16u << LOG2_ENTRIES,
	};
	CHECK(cmdqv_ioctl(fd, IOMMU_HW_QUEUE_ALLOC, &queue));

	/* The guest enables LVCMDQ0 and waits for CMDQ_EN_OK. */
	cmdqv_window_write32(page0, VCMDQ_CONFIG, 1);
	for (int i = 0; i < 100 && !(cmdqv_window_read32(page0, VCMDQ_STATUS) & 1); i++)
		cmdqv_step(sys, 1000);
	if (!(cmdqv_window_read32(page0, VCMDQ_STATUS) & 1)) {
		fprintf(stderr, "LVCMDQ0 did not enable\n");
		return 1;
	}

	/* Two invalidations and a CMD_SYNC, written into guest RAM. */
	uint8_t *ring = ram + (QUEUE_IPA - RAM_IPA);
	put_command(ring, 0, 0x11 | (3ull << 48), 0);      /* CMD_TLBI_NH_ASID asid 3 */
	put_command(ring, 1, 0x12 | (3ull << 48), 0x1000); /* CMD_TLBI_NH_VA asid 3 */
	put_command(ring, 2, 0x46, 0);                     /* CMD_SYNC, CS=NONE */
	cmdqv_window_write32(page0, VCMDQ_PROD, 3);
	cmdqv_run(sys, 1000000);
	uint32_t cons = cmdqv_window_read32(page0, VCMDQ_CONS);
	printf("after 3 commands: CONS=0x%x\n", cons);
	if ((cons & 0xfffff) != 3)
		return 1;

	/* An illegal opcode: the LVCMDQ stops with CERROR_ILL and the host
	 * driver reports it on the vEVENTQ, which becomes readable. */
	put_command(ring, 3, 0x7f, 0);
	cmdqv_window_write32(page0, VCMDQ_PROD, 4);
	cmdqv_run(sys, 1000000);
	struct pollfd pfd = { .fd = (int)veventq.out_veventq_fd, .events = POLLIN };
	if (poll(&pfd, 1, 0) != 1)
		return 1;
	struct {
		struct iommufd_vevent_header header;
		struct iommu_vevent_tegra241_cmdqv event;
	} record;
	ssize_t n = cmdqv_read((int)veventq.out_veventq_fd, &record, sizeof(record));
	printf("vEVENT: %zd bytes, sequence %u, lvcmdq_err_map[0]=0x%llx, CONS.ERR=%u\n", n,
	       record.header.sequence, (unsigned long long)record.event.lvcmdq_err_map[0],
	       (cmdqv_window_read32(page0, VCMDQ_CONS) >> 24) & 0x7f);
	if (n != (ssize_t)sizeof(record) || !(record.event.lvcmdq_err_map[0] & 1))
		return 1;

	/* The model as referee: no hardware rule was broken. */
	size_t violations = cmdqv_violations(sys, NULL, 0);
	printf("rule violations: %zu\n", violations);

	/* Teardown: the queue, the mapping, the event fd, then everything else
	 * goes with the iommufd (the kernel's release order). */
	struct iommu_destroy destroy = { .size = sizeof(destroy), .id = queue.out_hw_queue_id };
	CHECK(cmdqv_ioctl(fd, IOMMU_DESTROY, &destroy));
	cmdqv_munmap(page0);
	CHECK(cmdqv_close((int)veventq.out_veventq_fd));
	CHECK(cmdqv_detach_device(fd, dev_id));
	CHECK(cmdqv_close(fd));
	CHECK(cmdqv_trace_close(sys));
	cmdqv_system_destroy(sys);
	free(ram);
	return violations == 0 ? 0 : 1;
}
