/*
 * archive.c -- a tarball as a root: extracting a capture (libarchive) into
 * a private directory, held inside it, within bounds; and removing such a
 * directory again, from a signal handler too.
 *
 * Reads:  the archive the user named (not the host)
 * Writes: the directory it is given
 *
 * An archive is untrusted input. Every member is checked before anything
 * is written (a first pass over the headers), and again as it is written:
 * a regular file, a directory or a symbolic link (no device, FIFO,
 * socket or hard link); a relative path without ".." and at most
 * HV_CAPTURE_MAX_DEPTH deep, that no earlier member names (a directory
 * twice is fine) and that goes through no symbolic link or file of the
 * archive; the running counts of members and bytes within
 * HV_CAPTURE_MAX_ENTRIES and HV_CAPTURE_MAX_BYTES. So a tar bomb or a
 * hostile member is refused before anything reaches the disk. libarchive
 * then writes it with ARCHIVE_EXTRACT_SECURE_NODOTDOT, _SECURE_SYMLINKS
 * (never through a link on disk) and _SECURE_NOABSOLUTEPATHS, and
 * _NO_OVERWRITE, from inside the directory. Symbolic links are created as
 * they are: the root layer resolves them inside the root when it reads.
 */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hv-capture.h"

#define BLOCK_SIZE	(64 * 1024)

static void
set_error(struct hv_capture_error *err, const char *path, const char *fmt,
	  ...) _printf_(3, 4);

static void
set_error(struct hv_capture_error *err, const char *path, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

/* ---- removing ------------------------------------------------------------ */

struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int
rm_at(int dfd, const char *name, unsigned depth)
{
	char buf[2048] __attribute__((aligned(8)));
	int fd, first = 0;

	if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	if (depth >= 4 * HV_CAPTURE_MAX_DEPTH)
		return -ELOOP;
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == EACCES) {
		/* a directory without read permission: ours, so allow it */
		if (fchmodat(dfd, name, 0700, 0) == 0)
			fd = openat(dfd, name, O_RDONLY | O_DIRECTORY |
				    O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	for (;;) {
		unsigned removed = 0, left = 0;

		if (lseek(fd, 0, SEEK_SET) < 0)
			break;
		for (;;) {
			long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));

			if (n <= 0)
				break;
			for (long off = 0; off < n;) {
				struct dirent64_raw *d = (void *)(buf + off);
				const char *s = d->d_name;
				int r;

				off += d->d_reclen;
				if (s[0] == '.' && (s[1] == '\0' ||
						    (s[1] == '.' && s[2] == '\0')))
					continue;
				r = rm_at(fd, s, depth + 1);
				if (r == 0) {
					removed++;
				} else {
					left++;
					if (!first)
						first = r;
				}
			}
		}
		if (removed == 0 || left == 0)
			break;
	}
	close(fd);
	if (unlinkat(dfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT && !first)
		first = -errno;
	return first;
}

int
hv_capture_rmtree(const char *dir)
{
	if (!dir || !*dir)
		return -EINVAL;
	return rm_at(AT_FDCWD, dir, 0);
}

/* ---- extracting ------------------------------------------------------------ */

static const struct {
	mode_t type;
	const char *what;
} refused_types[] = {
	{ AE_IFCHR,	"a character device" },
	{ AE_IFBLK,	"a block device" },
	{ AE_IFIFO,	"a FIFO" },
	{ AE_IFSOCK,	"a socket" },
};

/* Is name a path that stays inside: relative, no "..", not too deep?
 * Sets *ret_skip for the archive's own top ("." or "./"). */
static const char *
check_name(const char *name, bool *ret_skip)
{
	unsigned depth = 0;
	const char *s = name;

	*ret_skip = false;
	if (!name || !*name)
		return "has no name";
	if (*name == '/')
		return "has an absolute path";
	while (*s) {
		size_t l = strcspn(s, "/");

		if (l == 2 && s[0] == '.' && s[1] == '.')
			return "has a \"..\" component";
		if (l > 0 && !(l == 1 && s[0] == '.'))
			depth++;
		s += l;
		while (*s == '/')
			s++;
	}
	if (depth == 0) {
		*ret_skip = true;
		return NULL;
	}
	if (depth > HV_CAPTURE_MAX_DEPTH)
		return "is nested too deep";
	return NULL;
}

/* The member e, normalized for a capture; NULL if it is accepted, else
 * what is wrong with it. */
static const char *
check_entry(struct archive_entry *e, bool *ret_skip)
{
	const char *why;
	mode_t type = archive_entry_filetype(e);
	mode_t perm = archive_entry_perm(e);

	why = check_name(archive_entry_pathname(e), ret_skip);
	if (why)
		return why;
	if (archive_entry_hardlink(e))
		return "is a hard link";
	for (size_t i = 0; i < HV_ELEMENTSOF(refused_types); i++)
		if (type == refused_types[i].type)
			return refused_types[i].what;
	switch (type) {
	case AE_IFDIR:
		archive_entry_set_perm(e, 0755);
		break;
	case AE_IFREG:
		if (!archive_entry_size_is_set(e) || archive_entry_size(e) < 0)
			return "has no size";
		archive_entry_set_perm(e, perm & 0444 ? 0644 : 0);
		break;
	case AE_IFLNK:
		if (!archive_entry_symlink(e) || !*archive_entry_symlink(e))
			return "is a link to nothing";
		break;
	default:
		return "is not a file, directory or symbolic link";
	}
	return NULL;
}

/* Copy the data of the current member from a to w. */
static int
copy_data(struct archive *a, struct archive *w, const char *name,
	  struct hv_capture_error *err)
{
	for (;;) {
		const void *buf;
		size_t size;
		la_int64_t off;
		int r = archive_read_data_block(a, &buf, &size, &off);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN) {
			set_error(err, name, "%s", archive_error_string(a) ?
				  archive_error_string(a) : "cannot read the data");
			return -EBADMSG;
		}
		if (archive_write_data_block(w, buf, size, off) < ARCHIVE_WARN) {
			int e = archive_errno(w);

			set_error(err, name, "%s", archive_error_string(w) ?
				  archive_error_string(w) : hv_strerror(e));
			return e > 0 ? -e : -EIO;
		}
	}
}

/* ---- the names seen: a member twice is refused ------------------------ */

enum name_kind {
	NAME_DIR = 0,
	NAME_LINK,
	NAME_FILE,
};

struct name_set {
	char **slot;			/* open addressing; NULL empty */
	uint8_t *kind;			/* enum name_kind */
	size_t cap, n;
};

static void
name_set_clear(struct name_set *ns)
{
	for (size_t i = 0; i < ns->cap; i++)
		free(ns->slot[i]);
	free(ns->slot);
	free(ns->kind);
	*ns = (struct name_set){ 0 };
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return h;
}

/* name without "." and empty components: "./a//b/" is "a/b". */
static char *
name_normalize(const char *name)
{
	char *out = malloc(strlen(name) + 1), *o = out;

	if (!out)
		return NULL;
	while (*name) {
		size_t l = strcspn(name, "/");

		if (l > 0 && !(l == 1 && name[0] == '.')) {
			if (o != out)
				*o++ = '/';
			memcpy(o, name, l);
			o += l;
		}
		name += l;
		while (*name == '/')
			name++;
	}
	*o = '\0';
	return out;
}

/* The slot of key, or of the empty place where it would go. */
static size_t
name_slot(const struct name_set *ns, const char *key)
{
	size_t i = fnv1a(key) & (ns->cap - 1);

	while (ns->slot[i] && strcmp(ns->slot[i], key) != 0)
		i = (i + 1) & (ns->cap - 1);
	return i;
}

static int
name_set_grow(struct name_set *ns)
{
	struct name_set big = { 0 };

	big.cap = ns->cap ? 2 * ns->cap : 1024;
	big.slot = calloc(big.cap, sizeof(*big.slot));
	big.kind = calloc(big.cap, sizeof(*big.kind));
	if (!big.slot || !big.kind) {
		free(big.slot);
		free(big.kind);
		return -ENOMEM;
	}
	for (size_t j = 0; j < ns->cap; j++) {
		size_t i;

		if (!ns->slot[j])
			continue;
		i = name_slot(&big, ns->slot[j]);
		big.slot[i] = ns->slot[j];
		big.kind[i] = ns->kind[j];
	}
	big.n = ns->n;
	free(ns->slot);
	free(ns->kind);
	*ns = big;
	return 0;
}

/*
 * Add the member name of the given kind. NULL if that is fine, else what
 * is wrong: it was there already (a directory twice is fine), or a
 * directory above it is a symbolic link or a file in the archive (writing
 * would go through the link, or fail). *ret_err is -ENOMEM on ENOMEM.
 */
static const char *
name_set_add(struct name_set *ns, const char *name, enum name_kind kind,
	     int *ret_err)
{
	_cleanup_free_ char *key = name_normalize(name);
	size_t i;

	*ret_err = 0;
	if (!key || (2 * (ns->n + 1) > ns->cap && name_set_grow(ns) < 0)) {
		*ret_err = -ENOMEM;
		return NULL;
	}
	for (char *slash = strchr(key, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		i = name_slot(ns, key);
		*slash = '/';
		if (ns->slot[i] && ns->kind[i] == NAME_LINK)
			return "goes through a symbolic link of the archive";
		if (ns->slot[i] && ns->kind[i] == NAME_FILE)
			return "is under a file of the archive";
	}
	i = name_slot(ns, key);
	if (ns->slot[i]) {
		if (kind == NAME_DIR && ns->kind[i] == NAME_DIR)
			return NULL;
		return "appears twice";
	}
	ns->slot[i] = HV_TAKE_PTR(key);
	ns->kind[i] = (uint8_t)kind;
	ns->n++;
	return NULL;
}

/*
 * Walk every member of a (opened): checked, counted against the bounds
 * and its name against those seen, and, when w is not NULL, written with
 * w from the current directory; when it is NULL, only checked (the data
 * is skipped).
 */
static int
walk_each(struct archive *a, struct archive *w, struct name_set *names,
	  struct hv_capture_error *err)
{
	uint64_t bytes = 0;
	size_t entries = 0;

	for (;;) {
		struct archive_entry *e;
		const char *why, *name;
		bool skip;
		int r = archive_read_next_header(a, &e);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN) {
			set_error(err, NULL, "%s", archive_error_string(a) ?
				  archive_error_string(a) : "not a tar archive");
			return -EBADMSG;
		}
		name = archive_entry_pathname(e);
		if (++entries > HV_CAPTURE_MAX_ENTRIES) {
			set_error(err, NULL, "more than %u members",
				  HV_CAPTURE_MAX_ENTRIES);
			return -E2BIG;
		}
		why = check_entry(e, &skip);
		if (why) {
			set_error(err, name, "%s", why);
			return -EBADMSG;
		}
		if (!skip) {
			mode_t type = archive_entry_filetype(e);

			why = name_set_add(names, name,
					   type == AE_IFDIR ? NAME_DIR :
					   type == AE_IFLNK ? NAME_LINK : NAME_FILE,
					   &r);
			if (r < 0)
				return r;
			if (why) {
				set_error(err, name, "%s", why);
				return -EBADMSG;
			}
		}
		if (archive_entry_filetype(e) == AE_IFREG) {
			uint64_t size = (uint64_t)archive_entry_size(e);

			if (size > HV_CAPTURE_MAX_FILE) {
				set_error(err, name, "larger than %u bytes",
					  HV_CAPTURE_MAX_FILE);
				return -E2BIG;
			}
			bytes += size;
			if (bytes > HV_CAPTURE_MAX_BYTES) {
				set_error(err, name, "more than %llu bytes in all",
					  (unsigned long long)HV_CAPTURE_MAX_BYTES);
				return -E2BIG;
			}
		}
		if (skip || !w) {
			if (archive_read_data_skip(a) < ARCHIVE_WARN) {
				set_error(err, name, "%s", archive_error_string(a) ?
					  archive_error_string(a) :
					  "cannot read the data");
				return -EBADMSG;
			}
			continue;
		}
		if (archive_write_header(w, e) < ARCHIVE_WARN) {
			int en = archive_errno(w);

			set_error(err, name, "%s", archive_error_string(w) ?
				  archive_error_string(w) : hv_strerror(en));
			/* a refusal (EEXIST: a member twice) is the archive's
			 * fault; ENOSPC, EIO and the like are the disk's */
			if (en <= 0 || en == EEXIST || en == ENOTDIR ||
			    en == EISDIR)
				return -EBADMSG;
			return -en;
		}
		if (archive_entry_filetype(e) == AE_IFREG) {
			r = copy_data(a, w, name, err);
			if (r < 0)
				return r;
		}
		if (archive_write_finish_entry(w) < ARCHIVE_WARN) {
			int en = archive_errno(w);

			set_error(err, name, "%s", archive_error_string(w) ?
				  archive_error_string(w) : hv_strerror(en));
			return en > 0 ? -en : -EIO;
		}
	}
}

static int
walk_members(struct archive *a, struct archive *w,
	     struct hv_capture_error *err)
{
	struct name_set names = { 0 };
	int r = walk_each(a, w, &names, err);

	name_set_clear(&names);
	return r;
}

/*
 * The compressions read: those libarchive does itself. Not
 * archive_read_support_filter_all(), which falls back to running external
 * programs (lrzip, lzop, grzip) that an archive should never make hwvirt
 * run; a filter that libarchive was built without (it would say so with
 * ARCHIVE_WARN and run a program too) is left out.
 */
static int (*const read_filters[])(struct archive *) = {
	archive_read_support_filter_gzip,
	archive_read_support_filter_xz,
	archive_read_support_filter_bzip2,
	archive_read_support_filter_zstd,
	archive_read_support_filter_lz4,
	archive_read_support_filter_lzma,
};

static int
add_filters(struct archive *a)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(read_filters); i++) {
		struct archive *probe = archive_read_new();
		int r;

		if (!probe)
			return -ENOMEM;
		r = read_filters[i](probe);
		archive_read_free(probe);
		if (r == ARCHIVE_OK && read_filters[i](a) != ARCHIVE_OK)
			return -ENOTSUP;
	}
	return 0;
}

/* A reader of fd (from its start) for tar in the compressions above. */
static int
open_reader(int fd, struct archive **ret, struct hv_capture_error *err)
{
	struct archive *a;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	a = archive_read_new();
	if (!a)
		return -ENOMEM;
	if (add_filters(a) < 0 ||
	    archive_read_support_format_tar(a) != ARCHIVE_OK) {
		set_error(err, NULL, "libarchive cannot read tar archives");
		archive_read_free(a);
		return -ENOTSUP;
	}
	if (archive_read_open_fd(a, fd, BLOCK_SIZE) != ARCHIVE_OK) {
		set_error(err, NULL, "%s", archive_error_string(a) ?
			  archive_error_string(a) : "cannot read");
		archive_read_free(a);
		return -EBADMSG;
	}
	*ret = a;
	return 0;
}

int
hv_archive_extract(const char *path, const char *dir,
		   struct hv_capture_error *err)
{
	struct archive *a = NULL, *w = NULL;
	struct stat st;
	int fd, cwd = -1, r;

	if (err)
		*err = (struct hv_capture_error){ 0 };
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = -errno;
		set_error(err, NULL, "%s", hv_strerror(r));
		return r;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		set_error(err, NULL, "not a regular file");
		return -EBADMSG;
	}

	/* First every member is checked, so that nothing is written from
	 * an archive that is refused (a tar bomb fills no disk) ... */
	r = open_reader(fd, &a, err);
	if (r < 0)
		goto out;
	r = walk_members(a, NULL, err);
	archive_read_free(a);
	a = NULL;
	if (r < 0)
		goto out;

	/* ... then extracted, checked again as it goes */
	r = open_reader(fd, &a, err);
	if (r < 0)
		goto out;
	w = archive_write_disk_new();
	if (!w) {
		r = -ENOMEM;
		goto out;
	}
	if (archive_write_disk_set_options(w,
					   ARCHIVE_EXTRACT_SECURE_NODOTDOT |
					   ARCHIVE_EXTRACT_SECURE_SYMLINKS |
					   ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS |
					   ARCHIVE_EXTRACT_NO_OVERWRITE) != ARCHIVE_OK) {
		set_error(err, NULL, "%s", archive_error_string(w) ?
			  archive_error_string(w) : "libarchive cannot extract");
		r = -ENOTSUP;
		goto out;
	}
	/* libarchive writes relative to the current directory, and the
	 * secure options refuse absolute paths: go into dir for the time */
	cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cwd < 0 || chdir(dir) < 0) {
		r = -errno;
		set_error(err, NULL, "cannot use %s: %s", dir, hv_strerror(r));
		goto out;
	}
	r = walk_members(a, w, err);
	if (r == 0 && archive_write_close(w) < ARCHIVE_WARN) {
		int en = archive_errno(w);

		set_error(err, NULL, "%s", archive_error_string(w) ?
			  archive_error_string(w) : hv_strerror(en));
		r = en > 0 ? -en : -EIO;
	}
	if (fchdir(cwd) < 0 && r == 0) {
		r = -errno;
		set_error(err, NULL, "cannot go back to the working directory: %s",
			  hv_strerror(r));
	}
out:
	if (cwd >= 0)
		close(cwd);
	if (w)
		archive_write_free(w);
	if (a)
		archive_read_free(a);
	close(fd);
	return r;
}
