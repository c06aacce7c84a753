/*
 * hv-root.h -- the host source: every read of host state goes through here.
 *
 * A root is a directory that looks like "/": the live host's "/" or a
 * captured host. Paths given to these functions are relative to the root
 * ("sys/bus/pci/devices", "proc/cmdline"), never absolute. Symbolic links,
 * relative or absolute, are resolved inside the root (openat2's
 * RESOLVE_IN_ROOT), so a hostile capture cannot make hwvirt read files
 * outside it.
 *
 * Inputs that are not files on a live host (CPUID, nvidia-smi, ethtool)
 * are files under "hwvirt/" in a capture; hv_root_is_live() tells which.
 *
 * The root can record every path it read successfully; `hwvirt capture`
 * copies exactly those.
 */
#ifndef HV_ROOT_H
#define HV_ROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "hv-util.h"

struct hv_root;

/* Default and hard limits for one file read. */
#define HV_READ_SMALL	(64u * 1024)		/* sysfs attributes, /proc files */
#define HV_READ_MAX	(16u * 1024 * 1024)	/* ACPI tables, XML */

/*
 * Open a root directory. path NULL means "/". -ENOENT if it does not exist,
 * -ENOTDIR if it is not a directory, other -errno as open(2).
 * Caller frees with hv_root_free().
 */
int hv_root_open(const char *path, struct hv_root **ret);
void hv_root_free(struct hv_root *root);

/* The path as given ("/" by default). Never NULL. */
const char *hv_root_path(const struct hv_root *root);

/* True when the root is the running system's "/". */
bool hv_root_is_live(const struct hv_root *root);

/*
 * Treat the live "/" as a capture (read hwvirt/cpuid.txt, never run tools).
 * Only ever turns "live" off: a capture can never be made live.
 */
void hv_root_set_not_live(struct hv_root *root);

/*
 * The absolute path of rel inside the root, for libraries that take a path
 * (libpci's sysfs.path) and for messages. NULL on ENOMEM. Caller frees.
 * Note that a library following symbolic links under this path is not held
 * inside the root; hv_root_* functions are.
 */
char *hv_root_abspath(const struct hv_root *root, const char *rel);

/*
 * Open rel (resolved inside the root) with open(2) flags (O_CLOEXEC is added).
 * Returns an fd or -errno.
 */
int hv_root_open_file(struct hv_root *root, const char *rel, int flags);

/*
 * Read a whole file into a NUL-terminated buffer. At most max bytes are
 * accepted: -EFBIG if the file has more. -ENOENT if absent, -EACCES if
 * unreadable (not root), -EISDIR, ... Caller frees *ret.
 * ret_len may be NULL. The NUL is not counted.
 */
int hv_root_read(struct hv_root *root, const char *rel, size_t max,
		 char **ret, size_t *ret_len);

/* Like hv_root_read, but rel is built from a format. */
int hv_root_readf(struct hv_root *root, size_t max, char **ret,
		  size_t *ret_len, const char *fmt, ...) _printf_(5, 6);

/*
 * Read a small attribute file (sysfs style) and strip surrounding
 * whitespace. -ENOENT, -EACCES, ... as hv_root_read.
 */
int hv_root_read_str(struct hv_root *root, const char *rel, char **ret);

/*
 * Read a numeric attribute. base as strtoull (0: auto, accepts 0x).
 * -EBADMSG if the content is not a number.
 */
int hv_root_read_u64(struct hv_root *root, const char *rel, int base,
		     uint64_t *ret);
int hv_root_read_int(struct hv_root *root, const char *rel, int base,
		     int *ret);

/* Target of the symbolic link rel (not followed). Caller frees. */
int hv_root_readlink(struct hv_root *root, const char *rel, char **ret);

/* Last path component of the target of symbolic link rel. Caller frees. */
int hv_root_readlink_base(struct hv_root *root, const char *rel, char **ret);

/*
 * Names in directory rel, sorted (strverscmp: "cpu2" before "cpu10"),
 * without "." and "..". Caller clears *ret with hv_strv_clear().
 */
int hv_root_list(struct hv_root *root, const char *rel, struct hv_strv *ret);

/*
 * stat(2) of rel, following links inside the root. Works on files the user
 * cannot read. -ENOENT if absent.
 */
int hv_root_stat(struct hv_root *root, const char *rel, struct stat *ret);

/* 0 if rel exists, -ENOENT if not, other -errno if that cannot be told. */
int hv_root_exists(struct hv_root *root, const char *rel);

/*
 * Recording. When on, every path successfully read, listed or readlink'ed is
 * remembered (deduplicated, in order). hv_root_recorded() returns them.
 */
void hv_root_set_recording(struct hv_root *root, bool on);
const struct hv_strv *hv_root_recorded(const struct hv_root *root);
/* Record a path read by other means (libpci reading a file by itself). */
int hv_root_record(struct hv_root *root, const char *rel);

/*
 * Record what a live probe learnt by other means than a file (the CPUID
 * instruction, `nvidia-smi -q -x`, an ethtool ioctl) as the file a capture
 * holds instead: rel is the capture path ("hwvirt/cpuid.txt") and data its
 * content in the standard tool's format, copied. A later call for the same
 * path replaces it. Does nothing unless recording is on. 0 or -ENOMEM.
 */
int hv_root_record_data(struct hv_root *root, const char *rel,
			const void *data, size_t len);

/* A recorded synthesized file: its capture path and content. */
struct hv_root_blob {
	char *path;
	void *data;
	size_t len;
};
/* The synthesized files recorded, in order. */
const struct hv_root_blob *hv_root_recorded_data(const struct hv_root *root,
						 size_t *ret_n);

#endif
