/*
 * Compile-time checks that cmdqv.h lays the uAPI out as the kernel does
 * (include/uapi/linux/iommufd.h, v6.17; LP64). The Swift layout test
 * (Tests/IOMMUFDUAPITests/LayoutTests.swift) checks every field offset too.
 */
#include <stddef.h>
#include "cmdqv.h"

#define CMDQV_CHECK(type, field, offset) \
	_Static_assert(offsetof(struct type, field) == (offset), #type "." #field)
#define CMDQV_SIZE(type, size) _Static_assert(sizeof(struct type) == (size), "sizeof " #type)

CMDQV_SIZE(iommu_destroy, 8);
CMDQV_SIZE(iommu_ioas_alloc, 12);
CMDQV_SIZE(iommu_ioas_map, 40);
CMDQV_CHECK(iommu_ioas_map, user_va, 16);
CMDQV_CHECK(iommu_ioas_map, iova, 32);
CMDQV_SIZE(iommu_ioas_unmap, 24);
CMDQV_SIZE(iommu_hwpt_alloc, 48);
CMDQV_CHECK(iommu_hwpt_alloc, data_uptr, 32);
CMDQV_CHECK(iommu_hwpt_alloc, fault_id, 40);
CMDQV_SIZE(iommu_viommu_alloc, 40);
CMDQV_CHECK(iommu_viommu_alloc, data_uptr, 32);
CMDQV_SIZE(iommu_vdevice_alloc, 24);
CMDQV_CHECK(iommu_vdevice_alloc, virt_id, 16);
CMDQV_SIZE(iommu_hw_queue_alloc, 40);
CMDQV_CHECK(iommu_hw_queue_alloc, nesting_parent_iova, 24);
CMDQV_SIZE(iommu_veventq_alloc, 32);
CMDQV_CHECK(iommu_veventq_alloc, out_veventq_fd, 24);
CMDQV_SIZE(iommu_hw_info, 40);
CMDQV_CHECK(iommu_hw_info, out_data_type, 24);
CMDQV_CHECK(iommu_hw_info, out_max_pasid_log2, 28);
CMDQV_CHECK(iommu_hw_info, out_capabilities, 32);
CMDQV_SIZE(iommu_hwpt_invalidate, 32);
CMDQV_CHECK(iommu_hwpt_invalidate, entry_num, 24);
CMDQV_SIZE(iommu_fault_alloc, 16);
CMDQV_SIZE(iommu_hwpt_pgfault, 40);
CMDQV_CHECK(iommu_hwpt_pgfault, addr, 24);
CMDQV_CHECK(iommu_hwpt_pgfault, cookie, 36);
CMDQV_SIZE(iommu_hwpt_page_response, 8);
CMDQV_SIZE(iommufd_vevent_header, 8);
CMDQV_SIZE(iommu_vevent_tegra241_cmdqv, 16);
CMDQV_SIZE(iommu_viommu_tegra241_cmdqv, 16);
CMDQV_SIZE(iommu_hw_info_tegra241_cmdqv, 8);
CMDQV_SIZE(iommu_test_cmd, 72);
CMDQV_SIZE(iommu_viommu_selftest, 24);
CMDQV_CHECK(iommu_viommu_selftest, out_mmap_offset, 8);
CMDQV_CHECK(iommu_test_cmd, mock_domain.out_idev_id, 24);
CMDQV_CHECK(iommu_test_cmd, trigger_iopf.addr, 32);
CMDQV_CHECK(iommu_test_cmd, last, 64);

/* sizeof of each struct, for the Swift layout test (which cannot take the
 * offset of a field inside an anonymous union from Swift). */
size_t cmdqv_uapi_offset_of_test_cmd_last(void) { return offsetof(struct iommu_test_cmd, last); }
size_t cmdqv_uapi_offset_of_hw_info_out_data_type(void) { return offsetof(struct iommu_hw_info, out_data_type); }
