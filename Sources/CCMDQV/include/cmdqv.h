/*
 * cmdqv.h: the C interface of the CMDQV model (libcmdqvc) and the iommufd
 * uAPI it implements.
 *
 * Part 1 declares the iommufd uAPI of Linux v6.17 (include/uapi/linux/iommufd.h)
 * and the selftest command (drivers/iommu/iommufd/iommufd_test.h) as far as
 * the model implements them. If <linux/iommufd.h> was included before this
 * header, its declarations are used instead (it must be v6.17 or later); if
 * it is included after, it is skipped (same include guard).
 *
 * Part 2 declares the library: systems, iommufd handles, the VINTF window,
 * stepping, traces, rule violations and faults.
 *
 * All structures are LP64 little-endian, exactly as the kernel lays them out.
 */
#ifndef CMDQV_H
#define CMDQV_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Part 1: the iommufd uAPI (include/uapi/linux/iommufd.h, v6.17) ---- */

#ifndef _IOMMUFD_H
#define _IOMMUFD_H
#define CMDQV_DECLARES_IOMMUFD_UAPI 1

typedef uint64_t cmdqv_aligned_u64 __attribute__((aligned(8)));

#define IOMMUFD_TYPE (';')
#define IOMMUFD_CMD_BASE 0x80

/* Every iommufd ioctl is _IO(';', nr): no size or direction bits. */
#define IOMMU_DESTROY 0x3B80
#define IOMMU_IOAS_ALLOC 0x3B81
#define IOMMU_IOAS_ALLOW_IOVAS 0x3B82
#define IOMMU_IOAS_COPY 0x3B83
#define IOMMU_IOAS_IOVA_RANGES 0x3B84
#define IOMMU_IOAS_MAP 0x3B85
#define IOMMU_IOAS_UNMAP 0x3B86
#define IOMMU_OPTION 0x3B87
#define IOMMU_VFIO_IOAS 0x3B88
#define IOMMU_HWPT_ALLOC 0x3B89
#define IOMMU_GET_HW_INFO 0x3B8A
#define IOMMU_HWPT_SET_DIRTY_TRACKING 0x3B8B
#define IOMMU_HWPT_GET_DIRTY_BITMAP 0x3B8C
#define IOMMU_HWPT_INVALIDATE 0x3B8D
#define IOMMU_FAULT_QUEUE_ALLOC 0x3B8E
#define IOMMU_IOAS_MAP_FILE 0x3B8F
#define IOMMU_VIOMMU_ALLOC 0x3B90
#define IOMMU_VDEVICE_ALLOC 0x3B91
#define IOMMU_IOAS_CHANGE_PROCESS 0x3B92
#define IOMMU_VEVENTQ_ALLOC 0x3B93
#define IOMMU_HW_QUEUE_ALLOC 0x3B94

struct iommu_destroy {
	uint32_t size;
	uint32_t id;
};

struct iommu_ioas_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_ioas_id;
};

enum iommufd_ioas_map_flags {
	IOMMU_IOAS_MAP_FIXED_IOVA = 1 << 0,
	IOMMU_IOAS_MAP_WRITEABLE = 1 << 1,
	IOMMU_IOAS_MAP_READABLE = 1 << 2,
};

struct iommu_ioas_map {
	uint32_t size;
	uint32_t flags;
	uint32_t ioas_id;
	uint32_t __reserved;
	cmdqv_aligned_u64 user_va;
	cmdqv_aligned_u64 length;
	cmdqv_aligned_u64 iova;
};

struct iommu_ioas_unmap {
	uint32_t size;
	uint32_t ioas_id;
	cmdqv_aligned_u64 iova;
	cmdqv_aligned_u64 length;
};

enum iommufd_hwpt_alloc_flags {
	IOMMU_HWPT_ALLOC_NEST_PARENT = 1 << 0,
	IOMMU_HWPT_ALLOC_DIRTY_TRACKING = 1 << 1,
	IOMMU_HWPT_FAULT_ID_VALID = 1 << 2,
	IOMMU_HWPT_ALLOC_PASID = 1 << 3,
};

enum iommu_hwpt_data_type {
	IOMMU_HWPT_DATA_NONE = 0,
	IOMMU_HWPT_DATA_VTD_S1 = 1,
	IOMMU_HWPT_DATA_ARM_SMMUV3 = 2,
};

struct iommu_hwpt_arm_smmuv3 {
	uint64_t ste[2];
};

struct iommu_hwpt_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pt_id;
	uint32_t out_hwpt_id;
	uint32_t __reserved;
	uint32_t data_type;
	uint32_t data_len;
	cmdqv_aligned_u64 data_uptr;
	uint32_t fault_id;
	uint32_t __reserved2;
};

enum iommu_hw_info_type {
	IOMMU_HW_INFO_TYPE_NONE = 0,
	IOMMU_HW_INFO_TYPE_DEFAULT = 0,
	IOMMU_HW_INFO_TYPE_INTEL_VTD = 1,
	IOMMU_HW_INFO_TYPE_ARM_SMMUV3 = 2,
	IOMMU_HW_INFO_TYPE_TEGRA241_CMDQV = 3,
};

enum iommufd_hw_info_flags {
	IOMMU_HW_INFO_FLAG_INPUT_TYPE = 1 << 0,
};

struct iommu_hw_info_arm_smmuv3 {
	uint32_t flags;
	uint32_t __reserved;
	uint32_t idr[6];
	uint32_t iidr;
	uint32_t aidr;
};

struct iommu_hw_info_tegra241_cmdqv {
	uint32_t flags;
	uint8_t version;
	uint8_t log2vcmdqs;
	uint8_t log2vsids;
	uint8_t __reserved;
};

struct iommu_hw_info {
	uint32_t size;
	uint32_t flags;
	uint32_t dev_id;
	uint32_t data_len;
	cmdqv_aligned_u64 data_uptr;
	union {
		uint32_t in_data_type;
		uint32_t out_data_type;
	};
	uint8_t out_max_pasid_log2;
	uint8_t __reserved[3];
	cmdqv_aligned_u64 out_capabilities;
};

enum iommu_hwpt_invalidate_data_type {
	IOMMU_HWPT_INVALIDATE_DATA_VTD_S1 = 0,
	IOMMU_VIOMMU_INVALIDATE_DATA_ARM_SMMUV3 = 1,
};

struct iommu_viommu_arm_smmuv3_invalidate {
	uint64_t cmd[2];
};

struct iommu_hwpt_invalidate {
	uint32_t size;
	uint32_t hwpt_id;
	cmdqv_aligned_u64 data_uptr;
	uint32_t data_type;
	uint32_t entry_len;
	uint32_t entry_num;
	uint32_t __reserved;
};

enum iommu_hwpt_pgfault_flags {
	IOMMU_PGFAULT_FLAGS_PASID_VALID = 1 << 0,
	IOMMU_PGFAULT_FLAGS_LAST_PAGE = 1 << 1,
};

enum iommu_hwpt_pgfault_perm {
	IOMMU_PGFAULT_PERM_READ = 1 << 0,
	IOMMU_PGFAULT_PERM_WRITE = 1 << 1,
	IOMMU_PGFAULT_PERM_EXEC = 1 << 2,
	IOMMU_PGFAULT_PERM_PRIV = 1 << 3,
};

struct iommu_hwpt_pgfault {
	uint32_t flags;
	uint32_t dev_id;
	uint32_t pasid;
	uint32_t grpid;
	uint32_t perm;
	uint32_t __reserved;
	cmdqv_aligned_u64 addr;
	uint32_t length;
	uint32_t cookie;
};

enum iommufd_page_response_code {
	IOMMUFD_PAGE_RESP_SUCCESS = 0,
	IOMMUFD_PAGE_RESP_INVALID = 1,
};

struct iommu_hwpt_page_response {
	uint32_t cookie;
	uint32_t code;
};

struct iommu_fault_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t out_fault_id;
	uint32_t out_fault_fd;
};

enum iommu_viommu_type {
	IOMMU_VIOMMU_TYPE_DEFAULT = 0,
	IOMMU_VIOMMU_TYPE_ARM_SMMUV3 = 1,
	IOMMU_VIOMMU_TYPE_TEGRA241_CMDQV = 2,
};

struct iommu_viommu_tegra241_cmdqv {
	cmdqv_aligned_u64 out_vintf_mmap_offset;
	cmdqv_aligned_u64 out_vintf_mmap_length;
};

struct iommu_viommu_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t type;
	uint32_t dev_id;
	uint32_t hwpt_id;
	uint32_t out_viommu_id;
	uint32_t data_len;
	uint32_t __reserved;
	cmdqv_aligned_u64 data_uptr;
};

struct iommu_vdevice_alloc {
	uint32_t size;
	uint32_t viommu_id;
	uint32_t dev_id;
	uint32_t out_vdevice_id;
	cmdqv_aligned_u64 virt_id;
};

enum iommu_veventq_flag {
	IOMMU_VEVENTQ_FLAG_LOST_EVENTS = (1U << 0),
};

struct iommufd_vevent_header {
	uint32_t flags;
	uint32_t sequence;
};

enum iommu_veventq_type {
	IOMMU_VEVENTQ_TYPE_DEFAULT = 0,
	IOMMU_VEVENTQ_TYPE_ARM_SMMUV3 = 1,
	IOMMU_VEVENTQ_TYPE_TEGRA241_CMDQV = 2,
};

struct iommu_vevent_arm_smmuv3 {
	uint64_t evt[4];
};

struct iommu_vevent_tegra241_cmdqv {
	uint64_t lvcmdq_err_map[2];
};

struct iommu_veventq_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t viommu_id;
	uint32_t type;
	uint32_t veventq_depth;
	uint32_t out_veventq_id;
	uint32_t out_veventq_fd;
	uint32_t __reserved;
};

enum iommu_hw_queue_type {
	IOMMU_HW_QUEUE_TYPE_DEFAULT = 0,
	IOMMU_HW_QUEUE_TYPE_TEGRA241_CMDQV = 1,
};

struct iommu_hw_queue_alloc {
	uint32_t size;
	uint32_t flags;
	uint32_t viommu_id;
	uint32_t type;
	uint32_t index;
	uint32_t out_hw_queue_id;
	cmdqv_aligned_u64 nesting_parent_iova;
	cmdqv_aligned_u64 length;
};

#endif /* _IOMMUFD_H */

/* ---- The selftest command (drivers/iommu/iommufd/iommufd_test.h, v6.17) ---- */

#ifndef _UAPI_IOMMUFD_TEST_H
#define _UAPI_IOMMUFD_TEST_H

#define IOMMU_TEST_CMD 0x3BA0

enum {
	IOMMU_TEST_OP_ADD_RESERVED = 1,
	IOMMU_TEST_OP_MOCK_DOMAIN = 2,
	IOMMU_TEST_OP_MD_CHECK_MAP = 3,
	IOMMU_TEST_OP_MD_CHECK_REFS = 4,
	IOMMU_TEST_OP_CREATE_ACCESS = 5,
	IOMMU_TEST_OP_DESTROY_ACCESS_PAGES = 6,
	IOMMU_TEST_OP_ACCESS_PAGES = 7,
	IOMMU_TEST_OP_ACCESS_RW = 8,
	IOMMU_TEST_OP_SET_TEMP_MEMORY_LIMIT = 9,
	IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE = 10,
	IOMMU_TEST_OP_ACCESS_REPLACE_IOAS = 11,
	IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS = 12,
	IOMMU_TEST_OP_DIRTY = 13,
	IOMMU_TEST_OP_MD_CHECK_IOTLB = 14,
	IOMMU_TEST_OP_TRIGGER_IOPF = 15,
	IOMMU_TEST_OP_DEV_CHECK_CACHE = 16,
	IOMMU_TEST_OP_TRIGGER_VEVENT = 17,
	IOMMU_TEST_OP_PASID_ATTACH = 18,
	IOMMU_TEST_OP_PASID_REPLACE = 19,
	IOMMU_TEST_OP_PASID_DETACH = 20,
	IOMMU_TEST_OP_PASID_CHECK_HWPT = 21,
};

#define IOMMU_VIOMMU_TYPE_SELFTEST 0xdeadbeef
#define IOMMU_HW_QUEUE_TYPE_SELFTEST 0xdeadbeef
#define IOMMU_HWPT_DATA_SELFTEST 0xdead
#define IOMMU_TEST_IOTLB_DEFAULT 0xbadbeef

#define IOMMU_VEVENTQ_TYPE_SELFTEST 0xbeefbeef

/* The mock vIOMMU's driver data (IOMMU_VIOMMU_ALLOC with data). */
struct iommu_viommu_selftest {
	uint32_t in_data;
	uint32_t out_data;
	uint64_t __attribute__((aligned(8))) out_mmap_offset;
	uint64_t __attribute__((aligned(8))) out_mmap_length;
};

/* The union views the vIOMMU and HW-queue tests use; the union is 48 bytes. */
struct iommu_test_cmd {
	uint32_t size;
	uint32_t op;
	uint32_t id;
	uint32_t __reserved;
	union {
		struct {
			uint32_t out_stdev_id;
			uint32_t out_hwpt_id;
			uint32_t out_idev_id;
		} mock_domain;
		struct {
			uint32_t out_stdev_id;
			uint32_t out_hwpt_id;
			uint32_t out_idev_id;
			uint32_t dev_flags;
		} mock_domain_flags;
		struct {
			uint32_t pt_id;
		} mock_domain_replace;
		struct {
			uint32_t limit;
		} memory_limit;
		struct {
			uint32_t id;
			uint32_t iotlb;
		} check_iotlb;
		struct {
			uint32_t id;
			uint32_t cache;
		} check_dev_cache;
		struct {
			uint32_t dev_id;
			uint32_t pasid;
			uint32_t grpid;
			uint32_t perm;
			uint64_t addr;
		} trigger_iopf;
		struct {
			uint32_t dev_id;
		} trigger_vevent;
		uint8_t __union_size[48] __attribute__((aligned(8)));
	};
	uint32_t last;
};

#endif /* _UAPI_IOMMUFD_TEST_H */

/* ---- Part 2: the library (libcmdqvc) ---- */

/* An opaque simulated host: the CMDQV model, its SMMU, the drivers, and the
 * iommufd files opened on it. Single-threaded: one thread at a time. */
struct cmdqv_system;

/* A mapping of a VINTF page0 (cmdqv_mmap): MMIO goes through
 * cmdqv_window_read32/write32/read64/write64, never through a pointer. */
struct cmdqv_window;

/* Creates a system from a preset: "default" (4 VINTFs, 8 VCMDQs) or
 * "qemu-guest" (1 VINTF, 2 VCMDQs). NULL or "" means "default".
 * Returns NULL with errno EINVAL for an unknown preset. */
struct cmdqv_system *cmdqv_system_create(const char *preset);

/* Creates a system from the device section of a scenario file (the same
 * files `cmdqv run` reads). NULL with errno EINVAL on a parse error, whose
 * message cmdqv_last_error() returns. */
struct cmdqv_system *cmdqv_system_create_from_scenario(const char *path);

/* Destroys a system: closes every file opened on it first. */
void cmdqv_system_destroy(struct cmdqv_system *system);

/* The message of the last failing cmdqv_* call ("" if none); valid until
 * the next failing call. The library is single-threaded: one thread at a
 * time may call into it. */
const char *cmdqv_last_error(void);

/* Opens an iommufd on the system (what open("/dev/iommu", O_RDWR) returns),
 * as a kernel built with CONFIG_IOMMUFD_TEST has it (IOMMU_TEST_CMD works).
 * The result is a real file descriptor (an eventfd) that the library owns:
 * use it with cmdqv_ioctl/cmdqv_read/cmdqv_mmap/cmdqv_close; poll() on it and
 * on the vEVENTQ/fault fds it hands out works (POLLIN when events wait).
 * -1 with errno on failure. */
int cmdqv_open(struct cmdqv_system *system);

/* ioctl(2) on an fd from cmdqv_open (or a vEVENTQ/fault fd): 0 on success,
 * -1 with errno set (ENOTTY, EINVAL, E2BIG, ENOENT, ...) as the kernel
 * would. EBADF for an fd the library does not own. */
int cmdqv_ioctl(int fd, unsigned long request, void *argument);

/* read(2) on a vEVENTQ or fault fd, following the kernel's rules. */
ssize_t cmdqv_read(int fd, void *buffer, size_t count);

/* write(2) on a fault fd (page responses). */
ssize_t cmdqv_write(int fd, const void *buffer, size_t count);

/* close(2): an iommufd closes every object on it (the kernel's release). */
int cmdqv_close(int fd);

/* Whether fd is one of the library's descriptors. */
int cmdqv_owns_fd(int fd);

/* mmap(2) of an iommufd at offset/length (from IOMMU_VIOMMU_ALLOC's
 * out_vintf_mmap_offset/length): NULL with errno (EINVAL, EPERM, ENXIO)
 * as the kernel would. prot is PROT_READ|PROT_WRITE (PROT_EXEC is EPERM). */
struct cmdqv_window *cmdqv_mmap(int fd, size_t length, int prot, int flags, off_t offset);

/* munmap: drops the mapping's reference on the vIOMMU. */
void cmdqv_munmap(struct cmdqv_window *window);

/* The VINTF index behind a window. */
int cmdqv_window_vintf(const struct cmdqv_window *window);

/* Guest-initiated MMIO through the window (offsets inside the page). A
 * window on a selftest mock vIOMMU's pages reads their memory (writes are
 * ignored); cmdqv_window_vintf() is -1 for it. */
uint32_t cmdqv_window_read32(struct cmdqv_window *window, size_t offset);
void cmdqv_window_write32(struct cmdqv_window *window, size_t offset, uint32_t value);
uint64_t cmdqv_window_read64(struct cmdqv_window *window, size_t offset);
void cmdqv_window_write64(struct cmdqv_window *window, size_t offset, uint64_t value);

/* Binds a passthrough device with this physical StreamID to the iommufd
 * (what VFIO_DEVICE_BIND_IOMMUFD does): the device ID, or -1 with errno. */
int cmdqv_bind_device(int fd, uint32_t stream_id, uint32_t *out_dev_id);

/* VFIO_DEVICE_ATTACH_IOMMUFD_PT: attaches (or replaces) the device's page
 * table; *pt_id receives the HWPT ID (the auto HWPT for an IOAS). */
int cmdqv_attach_device(int fd, uint32_t dev_id, uint32_t *pt_id);

/* VFIO_DEVICE_DETACH_IOMMUFD_PT. */
int cmdqv_detach_device(int fd, uint32_t dev_id);

/* Runs the hardware for `cycles` cycles and delivers interrupts. */
void cmdqv_step(struct cmdqv_system *system, uint64_t cycles);

/* Runs until every enabled queue is idle (or max_cycles pass): the cycles
 * run. */
uint64_t cmdqv_run(struct cmdqv_system *system, uint64_t max_cycles);

/* The current model cycle. */
uint64_t cmdqv_cycle(const struct cmdqv_system *system);

/* Starts writing the trace to `path` ("jsonl" or "text" format), opened
 * like a Unix tool (O_WRONLY|O_CREAT|O_TRUNC). 0, or -1 with errno. */
int cmdqv_trace_open(struct cmdqv_system *system, const char *path, const char *format);

/* Flushes and closes the trace; 0, or -1 with errno on a failed write. */
int cmdqv_trace_close(struct cmdqv_system *system);

/* A rule violation: which hardware programming rule, when and where. */
struct cmdqv_violation {
	char rule[64];       /* e.g. "LVCMDQ-MAP-ASCENDING" */
	uint64_t cycle;
	char detail[256];
	char access[160];
	char source[160];    /* kernel file, function, version */
};

/* An ignored MMIO access (wrong initiator, unmapped, read-only, ...). */
struct cmdqv_fault {
	char reason[48];
	char description[256];
};

/* The violations the model kept (its log is bounded: the first and the
 * latest ones), at most max copied to out (out may be NULL to count);
 * returns how many it kept. */
size_t cmdqv_violations(struct cmdqv_system *system, struct cmdqv_violation *out, size_t max);

/* The ignored-access faults recorded so far, likewise. */
size_t cmdqv_faults(struct cmdqv_system *system, struct cmdqv_fault *out, size_t max);

/* Forgets the recorded violations and faults. */
void cmdqv_clear_faults(struct cmdqv_system *system);

/* Layout probes for the Swift layout test: offsets of fields inside
 * anonymous unions (Swift cannot take those itself). */
size_t cmdqv_uapi_offset_of_test_cmd_last(void);
size_t cmdqv_uapi_offset_of_hw_info_out_data_type(void);

#ifdef __cplusplus
}
#endif

#endif /* CMDQV_H */
