/*
 * root.c -- the host source: reads under a root directory, held inside it.
 *
 * Every path is opened with openat2(2) and RESOLVE_IN_ROOT relative to a
 * directory fd of the root, so ".." and symbolic links (relative or
 * absolute) cannot leave it: a captured sysfs link "../../../devices/x"
 * works, and a hostile "/etc/shadow" link resolves to ROOT/etc/shadow.
 * Kernels without openat2 (before 5.6) fall back to openat(2), which keeps
 * relative paths inside but follows absolute links out: only the live host
 * ("/") is affected there, where the two are the same.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hv-root.h"

struct hv_root {
	int dirfd;
	char *path;
	bool live;
	bool recording;
	struct hv_strv recorded;
	struct hv_root_blob *blobs;
	size_t n_blobs;
	size_t blobs_cap;
};

static bool openat2_missing;

static int
root_openat(const struct hv_root *root, const char *rel, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	if (!rel || rel[0] == '\0')
		rel = ".";
	/* Paths are relative to the root; a leading '/' is tolerated. */
	while (rel[0] == '/')
		rel++;
	if (rel[0] == '\0')
		rel = ".";

	if (!openat2_missing) {
		do
			fd = (int)syscall(SYS_openat2, root->dirfd, rel, &how,
					  sizeof(how));
		while (fd < 0 && (errno == EAGAIN || errno == EINTR));
		if (fd >= 0)
			return fd;
		if (errno != ENOSYS)
			return -errno;
		openat2_missing = true;
	}
	fd = openat(root->dirfd, rel, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static void
root_record(struct hv_root *root, const char *rel)
{
	if (!root->recording)
		return;
	while (rel[0] == '/')
		rel++;
	/* Recording is best-effort: a capture missing a path on ENOMEM
	 * is still a capture of what could be kept. */
	(void)hv_strv_add_unique(&root->recorded, rel);
}

int
hv_root_open(const char *path, struct hv_root **ret)
{
	_cleanup_free_ char *real = NULL;
	struct hv_root *root;
	struct stat st;
	int fd;

	if (!path || !*path)
		path = "/";
	fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode)) {
		close(fd);
		return -ENOTDIR;
	}
	root = calloc(1, sizeof(*root));
	if (!root) {
		close(fd);
		return -ENOMEM;
	}
	root->dirfd = fd;
	root->path = strdup(path);
	if (!root->path) {
		hv_root_free(root);
		return -ENOMEM;
	}
	real = realpath(path, NULL);
	root->live = real && strcmp(real, "/") == 0;
	*ret = root;
	return 0;
}

void
hv_root_free(struct hv_root *root)
{
	if (!root)
		return;
	if (root->dirfd >= 0)
		close(root->dirfd);
	free(root->path);
	hv_strv_clear(&root->recorded);
	for (size_t i = 0; i < root->n_blobs; i++) {
		free(root->blobs[i].path);
		free(root->blobs[i].data);
	}
	free(root->blobs);
	free(root);
}

const char *
hv_root_path(const struct hv_root *root)
{
	return root->path;
}

bool
hv_root_is_live(const struct hv_root *root)
{
	return root->live;
}

void
hv_root_set_not_live(struct hv_root *root)
{
	root->live = false;
}

char *
hv_root_abspath(const struct hv_root *root, const char *rel)
{
	size_t l = strlen(root->path);

	while (rel && rel[0] == '/')
		rel++;
	if (!rel || !*rel)
		return strdup(root->path);
	if (l > 0 && root->path[l - 1] == '/')
		return hv_asprintf("%s%s", root->path, rel);
	return hv_asprintf("%s/%s", root->path, rel);
}

int
hv_root_open_file(struct hv_root *root, const char *rel, int flags)
{
	return root_openat(root, rel, flags);
}

static int
read_fd(int fd, size_t max, char **ret, size_t *ret_len)
{
	size_t cap = 4096, len = 0;
	char *buf;

	buf = malloc(cap + 1);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (cap > max) {
				free(buf);
				return -EFBIG;
			}
			cap = HV_MIN(cap * 2, (size_t)max + 1);
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > max) {
			free(buf);
			return -EFBIG;
		}
	}
	buf[len] = '\0';
	*ret = buf;
	if (ret_len)
		*ret_len = len;
	return 0;
}

int
hv_root_read(struct hv_root *root, const char *rel, size_t max, char **ret,
	     size_t *ret_len)
{
	int fd, r;

	fd = root_openat(root, rel, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return fd;
	r = read_fd(fd, max, ret, ret_len);
	close(fd);
	if (r == 0)
		root_record(root, rel);
	return r;
}

int
hv_root_readf(struct hv_root *root, size_t max, char **ret, size_t *ret_len,
	      const char *fmt, ...)
{
	_cleanup_free_ char *rel = NULL;
	va_list ap;

	va_start(ap, fmt);
	rel = hv_vasprintf(fmt, ap);
	va_end(ap);
	if (!rel)
		return -ENOMEM;
	return hv_root_read(root, rel, max, ret, ret_len);
}

int
hv_root_read_str(struct hv_root *root, const char *rel, char **ret)
{
	char *buf = NULL, *s;
	int r;

	r = hv_root_read(root, rel, HV_READ_SMALL, &buf, NULL);
	if (r < 0)
		return r;
	s = hv_strstrip(buf);
	if (s != buf)
		memmove(buf, s, strlen(s) + 1);
	*ret = buf;
	return 0;
}

int
hv_root_read_u64(struct hv_root *root, const char *rel, int base,
		 uint64_t *ret)
{
	_cleanup_free_ char *s = NULL;
	int r;

	r = hv_root_read_str(root, rel, &s);
	if (r < 0)
		return r;
	r = hv_parse_u64(s, base, ret);
	return r < 0 ? -EBADMSG : 0;
}

int
hv_root_read_int(struct hv_root *root, const char *rel, int base, int *ret)
{
	_cleanup_free_ char *s = NULL;
	int r;

	r = hv_root_read_str(root, rel, &s);
	if (r < 0)
		return r;
	r = hv_parse_int(s, base, ret);
	return r < 0 ? -EBADMSG : 0;
}

/* Split rel into its directory (opened inside the root) and last name. */
static int
open_parent(struct hv_root *root, const char *rel, const char **ret_base)
{
	_cleanup_free_ char *dir = NULL;
	const char *slash;

	while (rel[0] == '/')
		rel++;
	slash = strrchr(rel, '/');
	if (!slash) {
		*ret_base = rel;
		return root_openat(root, ".", O_PATH | O_DIRECTORY);
	}
	if (slash[1] == '\0')
		return -EINVAL;
	dir = strndup(rel, (size_t)(slash - rel));
	if (!dir)
		return -ENOMEM;
	*ret_base = slash + 1;
	return root_openat(root, dir, O_PATH | O_DIRECTORY);
}

int
hv_root_readlink(struct hv_root *root, const char *rel, char **ret)
{
	char buf[PATH_MAX];
	const char *base;
	ssize_t n;
	int dfd;

	dfd = open_parent(root, rel, &base);
	if (dfd < 0)
		return dfd;
	n = readlinkat(dfd, base, buf, sizeof(buf) - 1);
	if (n < 0) {
		int e = errno;

		close(dfd);
		return -e;
	}
	close(dfd);
	buf[n] = '\0';
	*ret = strdup(buf);
	if (!*ret)
		return -ENOMEM;
	root_record(root, rel);
	return 0;
}

int
hv_root_readlink_base(struct hv_root *root, const char *rel, char **ret)
{
	_cleanup_free_ char *target = NULL;
	const char *slash;
	int r;

	r = hv_root_readlink(root, rel, &target);
	if (r < 0)
		return r;
	slash = strrchr(target, '/');
	*ret = strdup(slash ? slash + 1 : target);
	return *ret ? 0 : -ENOMEM;
}

static int
cmp_vers(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

int
hv_root_list(struct hv_root *root, const char *rel, struct hv_strv *ret)
{
	struct hv_strv sv = { 0 };
	struct dirent *de;
	DIR *d;
	int fd;

	fd = root_openat(root, rel, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return fd;
	d = fdopendir(fd);
	if (!d) {
		int e = errno;

		close(fd);
		return -e;
	}
	errno = 0;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (hv_strv_add(&sv, de->d_name) < 0) {
			closedir(d);
			hv_strv_clear(&sv);
			return -ENOMEM;
		}
		errno = 0;
	}
	if (errno != 0) {
		int e = errno;

		closedir(d);
		hv_strv_clear(&sv);
		return -e;
	}
	closedir(d);
	if (sv.n > 1)
		qsort(sv.v, sv.n, sizeof(char *), cmp_vers);
	root_record(root, rel);
	*ret = sv;
	return 0;
}

int
hv_root_stat(struct hv_root *root, const char *rel, struct stat *ret)
{
	int fd, r = 0;

	fd = root_openat(root, rel, O_PATH);
	if (fd < 0)
		return fd;
	if (fstat(fd, ret) < 0)
		r = -errno;
	close(fd);
	return r;
}

int
hv_root_exists(struct hv_root *root, const char *rel)
{
	struct stat st;

	return hv_root_stat(root, rel, &st);
}

void
hv_root_set_recording(struct hv_root *root, bool on)
{
	root->recording = on;
}

const struct hv_strv *
hv_root_recorded(const struct hv_root *root)
{
	return &root->recorded;
}

int
hv_root_record(struct hv_root *root, const char *rel)
{
	root_record(root, rel);
	return 0;
}

int
hv_root_record_data(struct hv_root *root, const char *rel, const void *data,
		    size_t len)
{
	struct hv_root_blob *b = NULL;
	void *copy;

	if (!root->recording)
		return 0;
	while (rel[0] == '/')
		rel++;
	for (size_t i = 0; i < root->n_blobs; i++)
		if (strcmp(root->blobs[i].path, rel) == 0)
			b = &root->blobs[i];
	copy = malloc(len ? len : 1);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, data, len);
	if (!b) {
		char *p = strdup(rel);

		if (!p || HV_GROW(root->blobs, root->blobs_cap,
				  root->n_blobs + 1) < 0) {
			free(p);
			free(copy);
			return -ENOMEM;
		}
		b = &root->blobs[root->n_blobs++];
		b->path = p;
	} else
		free(b->data);
	b->data = copy;
	b->len = len;
	return 0;
}

const struct hv_root_blob *
hv_root_recorded_data(const struct hv_root *root, size_t *ret_n)
{
	*ret_n = root->n_blobs;
	return root->blobs;
}
