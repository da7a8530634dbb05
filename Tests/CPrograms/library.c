/*
 * libcmdqvc's own functions (cmdqv.h part 2), from C: systems from presets
 * and scenario files, errors as errno plus a message, the window helpers,
 * rule violations and faults as C data, traces. Built and run by
 * Tests/IOMMUFDUAPITests/CProgramTests.swift with the repository root as
 * argv[1]; prints "library: ok".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "cmdqv.h"

static int failures;
#define EXPECT(cond)                                                                             \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: %s failed (errno %d, %s)\n", __FILE__, __LINE__, #cond, \
				errno, cmdqv_last_error());                                      \
			failures++;                                                              \
		}                                                                                \
	} while (0)

int main(int argc, char **argv)
{
	char path[4096];
	if (argc < 2)
		return 2;

	/* Presets and scenario files. */
	errno = 0;
	EXPECT(cmdqv_system_create("no-such-preset") == NULL && errno == EINVAL);
	EXPECT(strstr(cmdqv_last_error(), "no-such-preset") != NULL);
	snprintf(path, sizeof(path), "%s/Docs/Scenarios/no-such-file.yaml", argv[1]);
	EXPECT(cmdqv_system_create_from_scenario(path) == NULL && errno == ENOENT);
	snprintf(path, sizeof(path), "%s/Docs/Scenarios/vmm-lifecycle.yaml", argv[1]);
	struct cmdqv_system *sys = cmdqv_system_create_from_scenario(path);
	EXPECT(sys != NULL);
	if (!sys)
		return 1;
	struct cmdqv_system *guest = cmdqv_system_create("qemu-guest");
	EXPECT(guest != NULL);
	cmdqv_system_destroy(guest);

	/* Descriptors the library does not own are EBADF. */
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	EXPECT(cmdqv_ioctl(0, IOMMU_IOAS_ALLOC, &ioas) == -1 && errno == EBADF);
	EXPECT(!cmdqv_owns_fd(0));

	int fd = cmdqv_open(sys);
	EXPECT(fd >= 0 && cmdqv_owns_fd(fd));
	EXPECT(cmdqv_trace_open(sys, "/dev/null", "yaml") == -1 && errno == EINVAL);
	snprintf(path, sizeof(path), "%s/no/such/dir/trace.jsonl", argv[1]);
	EXPECT(cmdqv_trace_open(sys, path, "jsonl") == -1);
	EXPECT(cmdqv_trace_open(sys, "/dev/null", "text") == 0);

	/* A VINTF, its page0, and the host-side errors as errno. */
	uint32_t dev_id = 0;
	EXPECT(cmdqv_bind_device(fd, 0x100, &dev_id) == 0);
	EXPECT(cmdqv_bind_device(fd, 0x100, &dev_id) == -1 && errno == EBUSY);
	EXPECT(cmdqv_ioctl(fd, IOMMU_IOAS_ALLOC, &ioas) == 0);
	struct iommu_hwpt_alloc parent = {
		.size = sizeof(parent), .flags = IOMMU_HWPT_ALLOC_NEST_PARENT, .dev_id = dev_id, .pt_id = ioas.out_ioas_id,
	};
	EXPECT(cmdqv_ioctl(fd, IOMMU_HWPT_ALLOC, &parent) == 0);
	uint32_t pt = parent.out_hwpt_id;
	EXPECT(cmdqv_attach_device(fd, dev_id, &pt) == 0 && pt == parent.out_hwpt_id);
	struct iommu_viommu_tegra241_cmdqv data = { 0 };
	struct iommu_viommu_alloc viommu = {
		.size = sizeof(viommu), .type = IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV, .dev_id = dev_id,
		.hwpt_id = parent.out_hwpt_id, .data_len = sizeof(data), .data_uptr = (uintptr_t)&data,
	};
	EXPECT(cmdqv_ioctl(fd, IOMMU_VIOMMU_ALLOC, &viommu) == 0);
	EXPECT(cmdqv_mmap(fd, data.out_vintf_mmap_length, PROT_READ | PROT_EXEC, MAP_SHARED,
			  (off_t)data.out_vintf_mmap_offset) == NULL && errno == EPERM);
	EXPECT(cmdqv_mmap(fd, data.out_vintf_mmap_length, PROT_READ, MAP_PRIVATE,
			  (off_t)data.out_vintf_mmap_offset) == NULL && errno == EINVAL);
	struct cmdqv_window *page0 = cmdqv_mmap(fd, data.out_vintf_mmap_length, PROT_READ | PROT_WRITE, MAP_SHARED,
						(off_t)data.out_vintf_mmap_offset);
	EXPECT(page0 != NULL);
	if (!page0)
		return 1;
	EXPECT(cmdqv_window_vintf(page0) >= 1);
	struct iommu_destroy destroy = { .size = sizeof(destroy), .id = viommu.out_viommu_id };
	EXPECT(cmdqv_ioctl(fd, IOMMU_DESTROY, &destroy) == -1 && errno == EBUSY);

	/* The guest acknowledges an error that was never raised: a rule
	 * violation, as C data. */
	EXPECT(cmdqv_violations(sys, NULL, 0) == 0);
	cmdqv_window_write32(page0, 0x14, 1); /* LVCMDQ0 GERRORN */
	struct cmdqv_violation v[4];
	size_t count = cmdqv_violations(sys, v, 4);
	EXPECT(count == 1);
	if (count >= 1) {
		EXPECT(strcmp(v[0].rule, "ERR-ACK-NOT-PENDING") == 0);
		EXPECT(v[0].cycle == cmdqv_cycle(sys));
		EXPECT(strlen(v[0].detail) > 0 && strlen(v[0].source) > 0 && strstr(v[0].access, "GERRORN"));
		printf("violation: %s at cycle %llu: %s\n", v[0].rule, (unsigned long long)v[0].cycle, v[0].detail);
	}
	cmdqv_clear_faults(sys);
	EXPECT(cmdqv_violations(sys, NULL, 0) == 0);

	/* A guest write outside its LVCMDQs is ignored and recorded. */
	EXPECT(cmdqv_faults(sys, NULL, 0) == 0);
	cmdqv_window_write32(page0, 0x80 * 7 + 0x8, 1);
	struct cmdqv_fault f[2];
	size_t faults = cmdqv_faults(sys, f, 2);
	EXPECT(faults == 1);
	if (faults >= 1)
		printf("fault: %s: %s\n", f[0].reason, f[0].description);

	/* Stepping. */
	uint64_t before = cmdqv_cycle(sys);
	cmdqv_step(sys, 500);
	EXPECT(cmdqv_cycle(sys) == before + 500);
	EXPECT(cmdqv_run(sys, 1000) <= 1000);

	cmdqv_munmap(page0);
	EXPECT(cmdqv_trace_close(sys) == 0);
	EXPECT(cmdqv_close(fd) == 0);
	EXPECT(cmdqv_close(fd) == -1 && errno == EBADF);

	/* Hostile counts: a NULL argument is EFAULT; stepping UINT64_MAX cycles
	 * returns at once (idle time is one jump) and the counter saturates. */
	int fd2 = cmdqv_open(sys);
	EXPECT(cmdqv_ioctl(fd2, IOMMU_IOAS_ALLOC, NULL) == -1 && errno == EFAULT);
	EXPECT(cmdqv_close(fd2) == 0);
	cmdqv_step(sys, UINT64_MAX);
	EXPECT(cmdqv_cycle(sys) == UINT64_MAX);
	EXPECT(cmdqv_run(sys, UINT64_MAX) == 0);
	cmdqv_system_destroy(sys);
	if (failures) {
		fprintf(stderr, "library: %d failure(s)\n", failures);
		return 1;
	}
	printf("library: ok\n");
	return 0;
}
