/*
 * capture-write.c -- writing a capture: what the root recorded while the
 * probes ran, laid out as a directory that looks like "/", written as a
 * directory or a tarball (libarchive).
 *
 * Reads:  every path the root recorded, and the entries of those that are
 *         directories (never further down), through the root
 * Writes: OUT, atomically: a temporary ".NAME.XXXXXX" beside it, renamed
 *         to OUT when complete
 *
 * Two steps. The plan: each recorded path is walked component by
 * component from the root, as RESOLVE_IN_ROOT resolves it; every symbolic
 * link met becomes a link node (its target kept as written) and the walk
 * goes on at what it points to, so a sysfs path through
 * sys/bus/pci/devices/ADDR -> ../../../devices/pci0000:00/ADDR comes out as
 * that link plus the real directories. The end of a walk is a directory
 * (its entries become nodes: links, empty directories, and regular files
 * that are empty unless read), a regular file (its content), or something
 * that is left out (a device node, a FIFO, a socket). The synthesized
 * files (hv_root_recorded_data) and hwvirt/capture.json are added last and
 * win over what the walk found at their paths.
 *
 * The nodes are sorted by path (a parent sorts before its children),
 * merged (content wins over an empty entry), and checked: a node whose
 * parent is not a directory node is dropped, so writing never goes
 * through a link. Then the emit: the same nodes go to a directory tree or
 * to libarchive, in order; file contents are read when written.
 */
#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hv-capture.h"
#include "hv-probe.h"

#define LINK_HOPS_MAX	40		/* the kernel's MAXSYMLINKS */
#define MODE_DIR	0755
#define MODE_FILE	0644
#define MODE_HOLE	0000
#define MODE_LINK	0777

/* Node kinds, weakest first: merging keeps the strongest. */
enum node_kind {
	NODE_DIR = 0,
	NODE_LINK,
	NODE_REG,		/* a regular file on the host */
	NODE_DATA,		/* synthesized content */
};

struct node {
	char *path;		/* root-relative, no "." or ".." */
	enum node_kind kind;
	bool want;		/* NODE_REG: recorded (its content is taken) */
	bool dropped;
	char *data;		/* NODE_LINK: target; NODE_DATA: content */
	size_t len;
};

struct plan {
	struct hv_root *root;
	struct node *v;
	size_t n, cap;
	struct hv_capture_stats st;
	struct hv_capture_error *err;
};

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

static void
plan_clear(struct plan *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].path);
		free(p->v[i].data);
	}
	free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

/*
 * Add a node; path and data are copied (data may be NULL). Bounded so
 * that a hostile tree cannot grow the plan without end: nodes are merged
 * later, so the bound is a multiple of what a capture may hold.
 */
static int
plan_add(struct plan *p, const char *path, enum node_kind kind, bool want,
	 const void *data, size_t len)
{
	struct node *n;

	if (p->n >= 4 * (size_t)HV_CAPTURE_MAX_ENTRIES) {
		set_error(p->err, path, "more than %u entries to capture",
			  HV_CAPTURE_MAX_ENTRIES);
		return -E2BIG;
	}
	if (HV_GROW(p->v, p->cap, p->n + 1) < 0)
		return -ENOMEM;
	n = &p->v[p->n];
	*n = (struct node){ .kind = kind, .want = want, .len = len };
	n->path = strdup(path);
	if (!n->path)
		return -ENOMEM;
	if (data) {
		n->data = malloc(len + 1);
		if (!n->data) {
			free(n->path);
			return -ENOMEM;
		}
		memcpy(n->data, data, len);
		n->data[len] = '\0';
	}
	p->n++;
	return 0;
}

/* lstat(2) of rel inside the root: the last component is not followed. */
static int
root_lstat(struct hv_root *root, const char *rel, struct stat *ret)
{
	int fd, r = 0;

	fd = hv_root_open_file(root, rel, O_PATH | O_NOFOLLOW);
	if (fd < 0)
		return fd;
	if (fstat(fd, ret) < 0)
		r = -errno;
	close(fd);
	return r;
}

static char *
join(const char *dir, const char *name)
{
	if (!dir || !*dir)
		return strdup(name);
	return hv_asprintf("%s/%s", dir, name);
}

static unsigned
depth_of(const char *path)
{
	unsigned d = *path ? 1 : 0;

	for (const char *c = path; *c; c++)
		if (*c == '/')
			d++;
	return d;
}

/*
 * The entries of directory rel as nodes: links as links, directories
 * empty, regular files empty (unless recorded themselves), others left
 * out. A directory that cannot be listed now stays empty.
 */
static int
plan_entries(struct plan *p, const char *rel)
{
	struct dirent *de;
	unsigned count = 0;
	DIR *d;
	int fd, r = 0;

	fd = hv_root_open_file(p->root, rel[0] ? rel : ".",
			       O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd == -ENOMEM ? fd : 0;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return errno == ENOMEM ? -ENOMEM : 0;
	}
	while ((de = readdir(d))) {
		_cleanup_free_ char *path = NULL;
		struct stat st;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (++count > HV_CAPTURE_MAX_DIR) {
			set_error(p->err, rel, "more than %u entries in one directory",
				  HV_CAPTURE_MAX_DIR);
			r = -E2BIG;
			break;
		}
		path = join(rel, de->d_name);
		if (!path) {
			r = -ENOMEM;
			break;
		}
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;	/* gone since it was listed */
		if (S_ISDIR(st.st_mode)) {
			r = plan_add(p, path, NODE_DIR, false, NULL, 0);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(dirfd(d), de->d_name, target,
					       sizeof(target) - 1);

			if (n <= 0)
				continue;
			r = plan_add(p, path, NODE_LINK, false, target, (size_t)n);
		} else if (S_ISREG(st.st_mode)) {
			r = plan_add(p, path, NODE_REG, false, NULL, 0);
		} else {
			p->st.skipped++;	/* device node, FIFO, socket */
		}
		if (r < 0)
			break;
	}
	closedir(d);
	return r;
}

/* Drop the last component of the resolved path cur (not above the root). */
static void
pop_component(char *cur)
{
	char *slash = strrchr(cur, '/');

	if (slash)
		*slash = '\0';
	else
		cur[0] = '\0';
}

/*
 * Walk the recorded path rel from the root and add what it runs through.
 * A path that has gone, or that cannot be walked now, is skipped: the
 * capture holds what is there. 0, -ENOMEM or -E2BIG.
 */
static int
plan_path(struct plan *p, const char *rel)
{
	_cleanup_free_ char *rest = NULL, *cur = NULL;
	unsigned hops = 0;
	bool is_dir = true;	/* the root */
	size_t cap = 2 * PATH_MAX;
	int r;

	if (strlen(rel) >= PATH_MAX)
		return 0;
	rest = strdup(rel);
	cur = calloc(1, cap);
	if (!rest || !cur)
		return -ENOMEM;

	for (;;) {
		_cleanup_free_ char *next = NULL, *target = NULL;
		const char *s = rest;
		size_t cl;
		struct stat st;
		char *tmp;

		while (*s == '/')
			s++;
		if (*s == '\0')
			break;
		if (!is_dir) {
			p->st.skipped++;	/* a file is not a directory */
			return 0;
		}
		cl = strcspn(s, "/");
		next = strndup(s, cl);
		if (!next)
			return -ENOMEM;
		memmove(rest, s + cl, strlen(s + cl) + 1);
		if (strcmp(next, ".") == 0)
			continue;
		if (strcmp(next, "..") == 0) {
			pop_component(cur);
			continue;
		}
		cl = strlen(cur);
		if (cl + 1 + strlen(next) + 1 > cap ||
		    depth_of(cur) + 1 > HV_CAPTURE_MAX_DEPTH) {
			p->st.skipped++;
			return 0;
		}
		snprintf(cur + cl, cap - cl, "%s%s", cl ? "/" : "", next);

		r = root_lstat(p->root, cur, &st);
		if (r == -ENOMEM)
			return r;
		if (r < 0) {
			p->st.skipped++;	/* gone, or not reachable now */
			return 0;
		}
		if (S_ISLNK(st.st_mode)) {
			r = hv_root_readlink(p->root, cur, &target);
			if (r == -ENOMEM)
				return r;
			if (r < 0 || !target[0] || ++hops > LINK_HOPS_MAX) {
				p->st.skipped++;
				return 0;
			}
			r = plan_add(p, cur, NODE_LINK, false, target,
				     strlen(target));
			if (r < 0)
				return r;
			/* go on at the target: from the link's directory,
			 * or from the root for an absolute target */
			if (target[0] == '/')
				cur[0] = '\0';
			else
				pop_component(cur);
			if (strlen(target) + 1 + strlen(rest) >= cap) {
				p->st.skipped++;
				return 0;
			}
			tmp = hv_asprintf("%s/%s", target, rest);
			if (!tmp)
				return -ENOMEM;
			free(rest);
			rest = tmp;
			is_dir = true;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			r = plan_add(p, cur, NODE_DIR, false, NULL, 0);
			is_dir = true;
		} else if (S_ISREG(st.st_mode)) {
			r = plan_add(p, cur, NODE_REG, true, NULL, 0);
			is_dir = false;
		} else {
			p->st.skipped++;	/* never a device node */
			return 0;
		}
		if (r < 0)
			return r;
	}
	return is_dir ? plan_entries(p, cur) : 0;
}

/* Is path a clean relative path (no "", ".", ".." components)? */
static bool
path_clean(const char *path)
{
	const char *s = path;

	if (!*s || *s == '/' || strlen(s) >= PATH_MAX ||
	    depth_of(s) > HV_CAPTURE_MAX_DEPTH)
		return false;
	while (*s) {
		size_t l = strcspn(s, "/");

		if (l == 0 || (l == 1 && s[0] == '.') ||
		    (l == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		s += l;
		if (*s == '/')
			s++;
		if (!*s && s[-1] == '/')
			return false;
	}
	return true;
}

/* A synthesized file at path, with its parent directories. */
static int
plan_data(struct plan *p, const char *path, const void *data, size_t len)
{
	_cleanup_free_ char *dir = NULL;
	char *slash;
	int r;

	if (!path_clean(path)) {
		set_error(p->err, path, "not a path inside the capture");
		return -EINVAL;
	}
	dir = strdup(path);
	if (!dir)
		return -ENOMEM;
	for (slash = strchr(dir, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		r = plan_add(p, dir, NODE_DIR, false, NULL, 0);
		*slash = '/';
		if (r < 0)
			return r;
	}
	return plan_add(p, path, NODE_DATA, false, data, len);
}

static int
node_cmp(const void *a, const void *b)
{
	const struct node *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c)
		return c;
	/* strongest first; among regular files, a recorded one first */
	if (x->kind != y->kind)
		return x->kind > y->kind ? -1 : 1;
	return (int)y->want - (int)x->want;
}

static struct node *
find_node(struct plan *p, size_t hi, const char *path, size_t len)
{
	size_t lo = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(p->v[mid].path, path, len);

		if (c == 0 && p->v[mid].path[len] != '\0')
			c = 1;
		if (c == 0)
			return &p->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Sort, merge the nodes of one path (keeping the strongest), and drop a
 * node whose parent is not a kept directory node. 0 or -E2BIG.
 */
static int
plan_finish(struct plan *p)
{
	size_t w = 0, kept = 0;

	if (p->n > 1)
		qsort(p->v, p->n, sizeof(*p->v), node_cmp);
	for (size_t i = 0; i < p->n; i++) {
		if (w > 0 && strcmp(p->v[w - 1].path, p->v[i].path) == 0) {
			free(p->v[i].path);
			free(p->v[i].data);
			continue;
		}
		p->v[w++] = p->v[i];
	}
	p->n = w;
	for (size_t i = 0; i < p->n; i++) {
		struct node *n = &p->v[i];
		const char *slash = strrchr(n->path, '/');
		struct node *parent;

		if (!slash)
			continue;
		/* parents sort before their children */
		parent = find_node(p, i, n->path, (size_t)(slash - n->path));
		if (!parent || parent->dropped || parent->kind != NODE_DIR) {
			n->dropped = true;
			p->st.skipped++;
		}
	}
	for (size_t i = 0; i < p->n; i++)
		kept += !p->v[i].dropped;
	if (kept > HV_CAPTURE_MAX_ENTRIES) {
		set_error(p->err, NULL, "more than %u entries to capture",
			  HV_CAPTURE_MAX_ENTRIES);
		return -E2BIG;
	}
	return 0;
}

static int
plan_build(struct plan *p, const struct hv_capture_meta *meta)
{
	const struct hv_strv *rec = hv_root_recorded(p->root);
	const struct hv_root_blob *blobs;
	_cleanup_free_ char *json = NULL;
	size_t n_blobs, len;
	int r;

	for (size_t i = 0; i < rec->n; i++) {
		r = plan_path(p, rec->v[i]);
		if (r < 0)
			return r;
	}
	blobs = hv_root_recorded_data(p->root, &n_blobs);
	for (size_t i = 0; i < n_blobs; i++) {
		r = plan_data(p, blobs[i].path, blobs[i].data, blobs[i].len);
		if (r < 0)
			return r;
	}
	r = hv_capture_info_format(meta, &json, &len);
	if (r < 0) {
		set_error(p->err, HV_CAPTURE_JSON, "cannot describe the capture: %s",
			  hv_strerror(r));
		return r;
	}
	r = plan_data(p, HV_CAPTURE_JSON, json, len);
	if (r < 0)
		return r;
	return plan_finish(p);
}

/* ---- content ------------------------------------------------------------ */

/*
 * The content of node n as it goes out: *ret NULL and *ret_hole true for
 * an entry to be written empty with mode 0000. 0; 1 when the file has
 * gone (left out); -ENOMEM; -E2BIG past the bounds.
 */
static int
node_content(struct plan *p, const struct node *n, char **ret, size_t *ret_len,
	     bool *ret_hole)
{
	char *buf = NULL;
	size_t len = 0;
	int r;

	*ret = NULL;
	*ret_len = 0;
	*ret_hole = false;
	if (n->kind == NODE_DATA) {
		buf = malloc(n->len + 1);
		if (!buf)
			return -ENOMEM;
		memcpy(buf, n->data, n->len);
		len = n->len;
	} else if (!n->want) {
		*ret_hole = true;
		return 0;
	} else {
		r = hv_root_read(p->root, n->path, HV_CAPTURE_MAX_FILE, &buf, &len);
		if (r == -ENOMEM)
			return r;
		if (r == -ENOENT)
			return 1;
		if (r == -EFBIG) {
			set_error(p->err, n->path, "larger than %u bytes",
				  HV_CAPTURE_MAX_FILE);
			return -E2BIG;
		}
		if (r < 0) {
			/* read by the probe, not readable now, or only ever
			 * known to exist: unreadable in the capture too */
			*ret_hole = true;
			return 0;
		}
	}
	if (p->st.bytes + len > HV_CAPTURE_MAX_BYTES) {
		free(buf);
		set_error(p->err, n->path, "more than %llu bytes to capture",
			  (unsigned long long)HV_CAPTURE_MAX_BYTES);
		return -E2BIG;
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

static void
count(struct plan *p, const struct node *n, bool hole, size_t len)
{
	switch (n->kind) {
	case NODE_DIR:
		p->st.dirs++;
		break;
	case NODE_LINK:
		p->st.links++;
		break;
	case NODE_REG:
	case NODE_DATA:
		if (hole) {
			p->st.holes++;
		} else {
			p->st.files++;
			p->st.bytes += len;
		}
		break;
	}
}

/* ---- emit: a directory -------------------------------------------------- */

static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
emit_dir_node(struct plan *p, int top, const struct node *n, mode_t mask)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	bool hole = false;
	int fd, r;

	switch (n->kind) {
	case NODE_DIR:
		if (mkdirat(top, n->path, MODE_DIR) < 0)
			return -errno;
		break;
	case NODE_LINK:
		if (symlinkat(n->data, top, n->path) < 0)
			return -errno;
		break;
	case NODE_REG:
	case NODE_DATA:
		r = node_content(p, n, &buf, &len, &hole);
		if (r < 0)
			return r;
		if (r > 0) {
			p->st.skipped++;
			return 0;
		}
		fd = openat(top, n->path,
			    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    hole ? MODE_HOLE : MODE_FILE & ~mask);
		if (fd < 0)
			return -errno;
		r = write_all(fd, buf, len);
		if (close(fd) < 0 && r == 0)
			r = -errno;
		if (r < 0)
			return r;
		break;
	}
	count(p, n, hole, len);
	return 0;
}

/* The directory out's parent and its temporary sibling ".NAME.XXXXXX". */
static char *
temp_name(const char *out)
{
	_cleanup_free_ char *copy = strdup(out);
	char *slash, *base;
	size_t l;

	if (!copy)
		return NULL;
	l = strlen(copy);
	while (l > 1 && copy[l - 1] == '/')
		copy[--l] = '\0';
	slash = strrchr(copy, '/');
	base = slash ? slash + 1 : copy;
	if (!slash)
		return hv_asprintf(".%s.XXXXXX", base);
	if (slash == copy)
		return hv_asprintf("/.%s.XXXXXX", base);
	*slash = '\0';
	return hv_asprintf("%s/.%s.XXXXXX", copy, base);
}

/* rename(2) that never replaces: renameat2 RENAME_NOREPLACE, or, where the
 * file system lacks it, a check first. */
static int
rename_noreplace(const char *from, const char *to)
{
	struct stat st;

	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	if (lstat(to, &st) == 0)
		return -EEXIST;
	if (rename(from, to) < 0)
		return -errno;
	return 0;
}

static mode_t
current_umask(void)
{
	mode_t m = umask(022);

	umask(m);
	return m;
}

static int
emit_dir(struct plan *p, const char *out)
{
	_cleanup_free_ char *tmp = temp_name(out);
	mode_t mask = current_umask();
	int top, r = 0;

	if (!tmp)
		return -ENOMEM;
	if (!mkdtemp(tmp)) {
		r = -errno;
		set_error(p->err, out, "cannot create the capture: %s",
			  hv_strerror(r));
		return r;
	}
	top = open(tmp, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		r = -errno;
	for (size_t i = 0; r == 0 && i < p->n; i++) {
		if (p->v[i].dropped)
			continue;
		r = emit_dir_node(p, top, &p->v[i], mask);
		if (r < 0 && r != -E2BIG && r != -ENOMEM)
			set_error(p->err, out, "cannot write %s: %s",
				  p->v[i].path, hv_strerror(r));
	}
	if (r == 0 && chmod(tmp, MODE_DIR & ~mask) < 0)
		r = -errno;
	if (r == 0) {
		r = rename_noreplace(tmp, out);
		if (r < 0)
			set_error(p->err, out, "%s", r == -EEXIST ||
				  r == -ENOTEMPTY ? "already exists" :
				  hv_strerror(r));
		if (r == -ENOTEMPTY)
			r = -EEXIST;
	}
	if (top >= 0)
		close(top);
	if (r < 0)
		(void)hv_capture_rmtree(tmp);
	return r;
}

/* ---- emit: a tarball ------------------------------------------------------ */

static int
archive_fail(struct plan *p, struct archive *a, const char *out,
	     const char *what)
{
	int e = archive_errno(a);
	const char *s = archive_error_string(a);

	if (s && e > 0)
		set_error(p->err, out, "%s: %s (%s)", what, s, hv_strerror(e));
	else
		set_error(p->err, out, "%s: %s", what,
			  s ? s : hv_strerror(e > 0 ? e : EIO));
	return e > 0 ? -e : -EIO;
}

/*
 * Where libarchive's output goes: the temporary file. A write error is
 * kept and the rest of the output dropped, rather than handed back to
 * libarchive, which would leak its buffers once it has failed (3.6); the
 * emitter looks at err after every entry and gives up.
 */
struct tar_sink {
	int fd;
	int err;		/* the first write error, positive errno */
};

static la_ssize_t
sink_write(struct archive *a _unused_, void *data, const void *buf,
	   size_t len)
{
	struct tar_sink *s = data;
	int r;

	if (s->err == 0) {
		r = write_all(s->fd, buf, len);
		if (r < 0)
			s->err = -r;
	}
	return (la_ssize_t)len;
}

static int
sink_fail(struct plan *p, const struct tar_sink *s, const char *out)
{
	set_error(p->err, out, "cannot write the archive: %s",
		  hv_strerror(s->err));
	return -s->err;
}

static int
emit_tar_node(struct plan *p, struct archive *a, struct archive_entry *e,
	      const struct node *n, time_t when, const char *out)
{
	_cleanup_free_ char *buf = NULL;
	size_t len = 0;
	bool hole = false;
	int r;

	archive_entry_clear(e);
	archive_entry_set_pathname(e, n->path);
	archive_entry_set_mtime(e, when, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	switch (n->kind) {
	case NODE_DIR:
		archive_entry_set_filetype(e, AE_IFDIR);
		archive_entry_set_perm(e, MODE_DIR);
		break;
	case NODE_LINK:
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_perm(e, MODE_LINK);
		archive_entry_set_symlink(e, n->data);
		break;
	case NODE_REG:
	case NODE_DATA:
		r = node_content(p, n, &buf, &len, &hole);
		if (r < 0)
			return r;
		if (r > 0) {
			p->st.skipped++;
			return 0;
		}
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, hole ? MODE_HOLE : MODE_FILE);
		archive_entry_set_size(e, (la_int64_t)len);
		break;
	}
	if (archive_write_header(a, e) < ARCHIVE_WARN)
		return archive_fail(p, a, out, n->path);
	if (len > 0 && archive_write_data(a, buf, len) != (la_ssize_t)len)
		return archive_fail(p, a, out, n->path);
	count(p, n, hole, len);
	return 0;
}

static const struct {
	enum hv_capture_format format;
	int filter;
} tar_filters[] = {
	{ HV_CAPTURE_TAR,	ARCHIVE_FILTER_NONE },
	{ HV_CAPTURE_TAR_GZ,	ARCHIVE_FILTER_GZIP },
	{ HV_CAPTURE_TAR_XZ,	ARCHIVE_FILTER_XZ },
};

static int
emit_tar(struct plan *p, const char *out, enum hv_capture_format f,
	 time_t when)
{
	_cleanup_free_ char *tmp = temp_name(out);
	struct archive *a = NULL;
	struct archive_entry *e = NULL;
	struct tar_sink sink = { .fd = -1 };
	int filter = ARCHIVE_FILTER_NONE;
	int fd, r = 0;

	for (size_t i = 0; i < HV_ELEMENTSOF(tar_filters); i++)
		if (tar_filters[i].format == f)
			filter = tar_filters[i].filter;
	if (!tmp)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0) {
		r = -errno;
		set_error(p->err, out, "cannot create the capture: %s",
			  hv_strerror(r));
		return r;
	}
	if (fchmod(fd, MODE_FILE & ~current_umask()) < 0) {
		r = -errno;
		set_error(p->err, out, "%s", hv_strerror(r));
		goto out;
	}
	a = archive_write_new();
	e = archive_entry_new();
	if (!a || !e) {
		r = -ENOMEM;
		goto out;
	}
	sink.fd = fd;
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter(a, filter) < ARCHIVE_WARN ||
	    archive_write_open2(a, &sink, NULL, sink_write, NULL, NULL) !=
		    ARCHIVE_OK) {
		r = archive_fail(p, a, out, "cannot start the archive");
		goto out;
	}
	for (size_t i = 0; r == 0 && i < p->n; i++) {
		if (!p->v[i].dropped)
			r = emit_tar_node(p, a, e, &p->v[i], when, out);
		if (r == 0 && sink.err)
			r = sink_fail(p, &sink, out);
	}
	if (r == 0 && archive_write_close(a) != ARCHIVE_OK)
		r = archive_fail(p, a, out, "cannot finish the archive");
	if (r == 0 && sink.err)
		r = sink_fail(p, &sink, out);
	if (r < 0) {
		/* let libarchive finish into the sink, which drops it, so
		 * that it frees what it holds */
		sink.err = sink.err ? sink.err : EIO;
		(void)archive_write_close(a);
		goto out;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		r = -errno;
		set_error(p->err, out, "%s", hv_strerror(r));
		goto out;
	}
	fd = -1;
	r = rename_noreplace(tmp, out);
	if (r < 0)
		set_error(p->err, out, "%s", r == -EEXIST ? "already exists"
							 : hv_strerror(r));
out:
	if (e)
		archive_entry_free(e);
	if (a)
		archive_write_free(a);
	if (fd >= 0)
		close(fd);
	if (r < 0)
		(void)unlink(tmp);
	return r;
}

/* ---- the entry points ----------------------------------------------------- */

static bool
ends_with(const char *s, const char *suffix)
{
	size_t l = strlen(s), sl = strlen(suffix);

	return l > sl && strcmp(s + l - sl, suffix) == 0;
}

static const struct {
	const char *suffix;
	enum hv_capture_format format;
} format_suffixes[] = {
	{ ".tar",	HV_CAPTURE_TAR },
	{ ".tar.gz",	HV_CAPTURE_TAR_GZ },
	{ ".tgz",	HV_CAPTURE_TAR_GZ },
	{ ".tar.xz",	HV_CAPTURE_TAR_XZ },
};

enum hv_capture_format
hv_capture_format_from_name(const char *out)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(format_suffixes); i++)
		if (ends_with(out, format_suffixes[i].suffix))
			return format_suffixes[i].format;
	return HV_CAPTURE_DIR;
}

char *
hv_capture_default_name(const char *hostname, time_t t)
{
	_cleanup_free_ char *host = NULL;
	char when[32];
	struct tm tm;

	host = strdup(hostname && *hostname ? hostname : "unknown");
	if (!host)
		return NULL;
	for (char *c = host; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '-' ||
		      *c == '_'))
			*c = '_';
	if (strlen(host) > 64)
		host[64] = '\0';
	if (!gmtime_r(&t, &tm) ||
	    strftime(when, sizeof(when), "%Y%m%dT%H%M%S", &tm) == 0)
		snprintf(when, sizeof(when), "%lld", (long long)t);
	return hv_asprintf("hwvirt-%s-%s.tar.gz", host, when);
}

int
hv_capture_write(struct hv_root *root, const struct hv_capture_meta *meta,
		 const char *out, enum hv_capture_format f,
		 struct hv_capture_stats *ret_stats,
		 struct hv_capture_error *err)
{
	struct plan p = { .root = root, .err = err };
	struct stat st;
	int r;

	if (err)
		*err = (struct hv_capture_error){ 0 };
	if (!out || !*out) {
		set_error(err, out, "no output name");
		return -EINVAL;
	}
	if (lstat(out, &st) == 0) {
		set_error(err, out, "already exists");
		return -EEXIST;
	}
	/* walking the tree reads links: keep that out of the record */
	hv_root_set_recording(root, false);
	r = plan_build(&p, meta);
	if (r == 0)
		r = f == HV_CAPTURE_DIR ? emit_dir(&p, out)
					: emit_tar(&p, out, f, meta->created);
	if (r < 0 && err && !err->msg[0])
		set_error(err, out, "%s", hv_strerror(r));
	if (r == 0 && ret_stats)
		*ret_stats = p.st;
	plan_clear(&p);
	return r;
}
