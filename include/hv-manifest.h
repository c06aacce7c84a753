/*
 * hv-manifest.h -- host manifests: a captured host's tree as one text file.
 *
 * A capture is a directory that looks like "/" (hv-root.h). Fixtures keep
 * that tree as a reviewable text manifest (PCI addresses hold ':', ACPI
 * tables and config space are binary) that tests materialize into a
 * directory. The format, one record per line:
 *
 *   # comment                 ignored, as are blank lines
 *   d PATH                    a directory
 *   f PATH [TEXT]             a file holding TEXT and a newline (no TEXT:
 *                             an empty file)
 *   n PATH TEXT               a file holding TEXT, no newline
 *   F PATH                    a text file: the lines that follow, each with
 *                             its newline, up to a line holding only "."
 *                             (a line starting ".." stands for one starting
 *                             ".")
 *   x PATH                    a binary file from the hex dump lines that
 *                             follow, up to ".": "[OFFSET:] HH HH ..." as
 *                             `lspci -xxxx` and `acpidump` print them; the
 *                             bytes go at OFFSET (hex), gaps are zero, and
 *                             anything after two spaces is ignored (the
 *                             ASCII column)
 *   l PATH TARGET             a symbolic link to TARGET (kept as written)
 *
 * PATH is relative to the root, has no "..", and parents are created as
 * needed. TEXT runs to the end of the line.
 */
#ifndef HV_MANIFEST_H
#define HV_MANIFEST_H

#include <stddef.h>

#include "hv-util.h"

#define HV_MANIFEST_MAX_FILE	(16u * 1024 * 1024)

/*
 * Create the tree described by the manifest text under the existing
 * directory dirfd_path. -EBADMSG with err set (line, message) on a
 * malformed manifest; -errno if a file cannot be created.
 */
int hv_manifest_materialize(const char *text, size_t len, const char *dir,
			    struct hv_parse_error *err);

#endif
