/*
 * hv-capture.h -- captured hosts: writing what the probes read as a
 * directory or a tarball, reading a tarball back as a root, describing a
 * capture in hwvirt/capture.json, and CPUID dumps as `cpuid -r` text.
 *
 * A capture is a directory that looks like "/" (hv-root.h), built from
 * what the root recorded while every probe ran (hv_root_set_recording):
 *
 *   recorded path           in the capture
 *   ---------------------   ------------------------------------------------
 *   a regular file          the file, with the bytes a read gives now
 *                           (sysfs files say 4096 bytes: the content is read)
 *   a file not readable     an empty file with mode 0000: a later reader
 *     by the capturing        without root sees it unreadable, as the host
 *     user                    showed it to that user
 *   a directory             the directory and its entries as the host has
 *                           them: links as links (target kept as it is),
 *                           directories empty, regular files empty with
 *                           mode 0000 unless read themselves
 *   a path through links    each link as a link and the directory it points
 *                           to, component by component, held inside the
 *                           root (as RESOLVE_IN_ROOT resolves them)
 *   a device node, FIFO,    left out
 *     socket
 *   a synthesized file      the bytes the probe gave (hv_root_record_data):
 *     (hwvirt/cpuid.txt)      hwvirt/cpuid.txt, hwvirt/nvidia-smi.xml, ...
 *   --                      hwvirt/capture.json, written last
 *
 * Nothing is ever recursed into: only recorded paths and the entries of
 * recorded directories are taken, so no file the probes did not read
 * leaves the host. Modes are normalized (directories 0755, files 0644,
 * unreadable files 0000, owner the capturing user); times are the time of
 * the capture.
 */
#ifndef HV_CAPTURE_H
#define HV_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "hv-host.h"
#include "hv-root.h"

#define HV_CAPTURE_JSON		"hwvirt/capture.json"

/*
 * Bounds of a capture, written or read: a capture that hwvirt writes is
 * always within them, and an archive beyond them is refused as a tar bomb.
 */
#define HV_CAPTURE_MAX_ENTRIES	262144u			/* files, dirs, links */
#define HV_CAPTURE_MAX_BYTES	(512ull * 1024 * 1024)	/* all file data */
#define HV_CAPTURE_MAX_FILE	HV_READ_MAX		/* one file */
#define HV_CAPTURE_MAX_DEPTH	64u			/* path components */
#define HV_CAPTURE_MAX_DIR	65536u			/* entries of one dir */

/* Where a capture operation failed: the path (in the root, in the archive
 * or of the output) and what went wrong. Both NUL-terminated. */
struct hv_capture_error {
	char path[512];
	char msg[256];
};

/* ---- capture.c: hwvirt/capture.json ------------------------------------ */

/* What a capture says of itself. NULL strings are written as null. */
struct hv_capture_meta {
	time_t created;			/* written in UTC, "2024-05-01T12:00:00Z" */
	const char *hostname;		/* the captured host's, NULL if unknown */
	const char *hwvirt_version;	/* PACKAGE_VERSION */
	const char *root;		/* the root captured, as the user gave it */
	bool privileged;		/* taken by root (else: what an ordinary
					   user can read) */
};

/*
 * Format m as the JSON object of hwvirt/capture.json (json-c, members
 * "created", "hostname", "hwvirt_version", "root", "privileged", then a
 * newline). The capture-info probe reads it back. 0, -EINVAL if created
 * cannot be written as a date, or -ENOMEM. Caller frees *ret; *ret_len
 * does not count the terminating NUL.
 */
int hv_capture_info_format(const struct hv_capture_meta *m, char **ret,
			   size_t *ret_len);

/* "2024-05-01T12:00:00Z" for t into buf (at least 21 bytes). 0 or -EINVAL. */
int hv_capture_time_format(time_t t, char *buf, size_t size);

/* ---- cpuid.c: `cpuid -r` text ------------------------------------------ */

/*
 * Format CPUID dumps as `cpuid -r` prints them: for each dump a header,
 * "CPU N:" (or "CPU:" for a lone dump whose cpu is -1, as `cpuid -r -1`),
 * then one line per leaf in the dump's order:
 *
 *   "   0x%08x 0x%02x: eax=0x%08x ebx=0x%08x ecx=0x%08x edx=0x%08x\n"
 *
 * hv_cpuid_parse_text() reads the text back to the same dumps, and the
 * text of `cpuid -r` parsed and formatted is the same bytes. Anything that
 * would not read back the same is refused with -EINVAL: no dumps, a dump
 * without leaves or with more than 1024, leaves not in strictly increasing
 * (leaf, subleaf) order, cpu -1 beside other dumps, a CPU number repeated
 * or not below 8192. 0 or -ENOMEM otherwise. Caller frees *ret
 * (NUL-terminated; *ret_len does not count the NUL).
 */
int hv_cpuid_format_text(const struct hv_cpuid_dump *dumps, size_t n,
			 char **ret, size_t *ret_len);

/* ---- capture-write.c: writing a capture -------------------------------- */

enum hv_capture_format {
	HV_CAPTURE_DIR = 0,		/* a directory */
	HV_CAPTURE_TAR,			/* NAME.tar */
	HV_CAPTURE_TAR_GZ,		/* NAME.tar.gz, NAME.tgz */
	HV_CAPTURE_TAR_XZ,		/* NAME.tar.xz */
};

/* The format an output name asks for, by its suffix; a directory when
 * none matches. */
enum hv_capture_format hv_capture_format_from_name(const char *out);

struct hv_capture_stats {
	size_t files;			/* regular files with content */
	size_t holes;			/* unreadable or unread: empty, mode 0 */
	size_t dirs;
	size_t links;
	size_t skipped;			/* device nodes, vanished paths, ... */
	uint64_t bytes;			/* file data */
};

/*
 * Write the capture of what root recorded (hv_root_recorded() and
 * hv_root_recorded_data(); recording should be off by now) to out, in
 * format f, with hwvirt/capture.json from meta. Atomic: the capture is
 * built under a temporary name beside out (".NAME.XXXXXX") and renamed
 * to out only when complete; on any failure nothing is left behind. An
 * existing out is never replaced (-EEXIST).
 *
 * Returns 0 and fills *ret_stats (may be NULL); or a negative errno with
 * err saying which path and what: -EEXIST, -ENOSPC, -EACCES, ... writing
 * out; -E2BIG beyond the HV_CAPTURE_MAX_* bounds; -ENOMEM.
 */
int hv_capture_write(struct hv_root *root, const struct hv_capture_meta *meta,
		     const char *out, enum hv_capture_format f,
		     struct hv_capture_stats *ret_stats,
		     struct hv_capture_error *err);

/*
 * A default name for a capture of hostname taken at t, in the current
 * directory: "hwvirt-HOSTNAME-YYYYMMDDTHHMMSS.tar.gz" (UTC); characters
 * other than letters, digits, '.', '-' and '_' in the host name become
 * '_', and an unknown one is "unknown". NULL on ENOMEM. Caller frees.
 */
char *hv_capture_default_name(const char *hostname, time_t t);

/* ---- archive.c: a tarball as a root ------------------------------------ */

/*
 * Extract the tar archive at path (uncompressed, or compressed with gzip,
 * xz, bzip2, zstd, lz4 or lzma: what libarchive reads without running a
 * program) into the existing empty directory dir, as a root to read.
 * Every member is checked before anything is written; held inside dir
 * (ARCHIVE_EXTRACT_SECURE_NODOTDOT, _SECURE_SYMLINKS,
 * _SECURE_NOABSOLUTEPATHS); only regular files, directories and symbolic
 * links; modes normalized as a capture has them (directories 0755, files
 * 0644, or 0000 for a file with no read permission); owners and times not
 * restored.
 *
 * Returns 0, or with err naming the member and what is wrong:
 * -EBADMSG the archive is corrupt, not a tar archive, or holds a member
 *   that is refused (absolute path, "..", a device, FIFO or hard link, a
 *   path deeper than HV_CAPTURE_MAX_DEPTH, a member twice, a path through
 *   a symbolic link or a file of the archive);
 * -E2BIG more than HV_CAPTURE_MAX_ENTRIES members, or more than
 *   HV_CAPTURE_MAX_BYTES of data, or a file over HV_CAPTURE_MAX_FILE;
 * other -errno: the archive cannot be opened, or dir cannot be written.
 * On failure dir may hold part of the archive: remove it with
 * hv_capture_rmtree().
 */
int hv_archive_extract(const char *path, const char *dir,
		       struct hv_capture_error *err);

/*
 * Remove dir and everything under it, never following links, to a depth
 * of 4 * HV_CAPTURE_MAX_DEPTH. Async-signal-safe (system calls only), so
 * a signal handler may call it. 0 or the first -errno (it goes on after
 * an error).
 */
int hv_capture_rmtree(const char *dir);

#endif
