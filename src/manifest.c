/*
 * manifest.c -- materialize a host manifest (hv-manifest.h) into a tree.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hv-manifest.h"

struct mbuf {
	unsigned char *p;
	size_t len;
	size_t cap;
};

static int
mbuf_put(struct mbuf *b, size_t off, const void *data, size_t n)
{
	if (off > HV_MANIFEST_MAX_FILE || n > HV_MANIFEST_MAX_FILE - off)
		return -EFBIG;
	if (HV_GROW(b->p, b->cap, off + n) < 0)
		return -ENOMEM;
	memcpy(b->p + off, data, n);
	if (off + n > b->len)
		b->len = off + n;
	return 0;
}

static bool
path_ok(const char *p)
{
	const char *s = p;

	if (*p == '\0' || *p == '/')
		return false;
	/* no ".." component */
	while (*s) {
		size_t n = strcspn(s, "/");

		if (n == 2 && s[0] == '.' && s[1] == '.')
			return false;
		s += n;
		while (*s == '/')
			s++;
	}
	return true;
}

/* mkdir -p of every parent of rel (and rel itself if self). */
static int
make_parents(int dfd, const char *rel, bool self)
{
	char buf[4096];
	size_t l = strlen(rel);

	if (l >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, rel, l + 1);
	for (char *s = buf + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdirat(dfd, buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (self && mkdirat(dfd, buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int
write_file(int dfd, const char *rel, const void *data, size_t n)
{
	const char *p = data;
	int fd, r;

	r = make_parents(dfd, rel, false);
	if (r < 0)
		return r;
	fd = openat(dfd, rel, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
		    O_NOFOLLOW, 0644);
	if (fd < 0)
		return -errno;
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			r = -errno;
			close(fd);
			return r;
		}
		p += w;
		n -= (size_t)w;
	}
	if (close(fd) < 0)
		return -errno;
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parse one hex dump line into b. -EBADMSG if it is not one. */
static int
hex_line(struct mbuf *b, const char *line, size_t *next_off)
{
	const char *s = line, *colon;
	size_t off = *next_off;
	bool first = true;
	int r;

	while (*s == ' ' || *s == '\t')
		s++;
	/* an offset is a first token ending in ':' */
	colon = s + strcspn(s, " \t");
	if (colon > s && colon[-1] == ':') {
		const char *q;
		uint64_t v = 0;

		colon--;
		if (colon == s)
			return -EBADMSG;
		for (q = s; q < colon; q++) {
			int h = hexval((unsigned char)*q);

			if (h < 0 || v > HV_MANIFEST_MAX_FILE)
				return -EBADMSG;
			v = v * 16 + (uint64_t)h;
		}
		off = (size_t)v;
		s = colon + 1;
		first = false;
	}
	for (;;) {
		int hi, lo;
		unsigned char byte;

		if (!first) {
			if (*s == ' ' || *s == '\t')
				s++;
			else if (*s != '\0')
				return -EBADMSG;
		}
		first = false;
		if (*s == '\0' || *s == ' ' || *s == '\t')
			break;		/* end, or the ASCII column */
		hi = hexval((unsigned char)s[0]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[1]);
		if (hi < 0 || lo < 0 ||
		    (s[2] != '\0' && s[2] != ' ' && s[2] != '\t'))
			return -EBADMSG;
		byte = (unsigned char)(hi << 4 | lo);
		r = mbuf_put(b, off, &byte, 1);
		if (r < 0)
			return r;
		off++;
		s += 2;
	}
	*next_off = off;
	return 0;
}

int
hv_manifest_materialize(const char *text, size_t len, const char *dir,
			struct hv_parse_error *err)
{
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	int dfd, r = 0;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;

	while (p < end) {
		_cleanup_free_ char *line = NULL;
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char kind, *path, *arg;

		line = strndup(p, ll);
		if (!line) {
			r = -ENOMEM;
			break;
		}
		p += ll + (nl ? 1 : 0);
		lineno++;
		if (line[0] == '#' || hv_strstrip(line)[0] == '\0')
			continue;
		kind = line[0];
		if (line[1] != ' ') {
			hv_parse_error_set(err, lineno, "expected a record: 'KIND PATH ...'");
			r = -EBADMSG;
			break;
		}
		path = line + 2;
		while (*path == ' ')
			path++;
		arg = path + strcspn(path, " \t");
		if (*arg) {
			*arg++ = '\0';
			if (kind != 'f' && kind != 'n')
				while (*arg == ' ' || *arg == '\t')
					arg++;
		}
		if (!path_ok(path)) {
			hv_parse_error_set(err, lineno, "bad path '%s': must be relative, without '..'", path);
			r = -EBADMSG;
			break;
		}

		switch (kind) {
		case 'd':
			r = make_parents(dfd, path, true);
			break;
		case 'f': {
			_cleanup_free_ char *c = hv_asprintf("%s\n", arg);

			r = c ? write_file(dfd, path, c, strlen(c)) : -ENOMEM;
			break;
		}
		case 'n':
			r = write_file(dfd, path, arg, strlen(arg));
			break;
		case 'l':
			if (!*arg) {
				hv_parse_error_set(err, lineno, "link '%s' has no target", path);
				r = -EBADMSG;
				break;
			}
			r = make_parents(dfd, path, false);
			if (r == 0 && symlinkat(arg, dfd, path) < 0)
				r = -errno;
			break;
		case 'F':
		case 'x': {
			struct mbuf b = { 0 };
			size_t off = 0;
			bool closed = false;
			unsigned start = lineno;

			while (p < end) {
				const char *nl2 = memchr(p, '\n', (size_t)(end - p));
				size_t l2 = nl2 ? (size_t)(nl2 - p) : (size_t)(end - p);
				_cleanup_free_ char *body = strndup(p, l2);

				p += l2 + (nl2 ? 1 : 0);
				lineno++;
				if (!body) {
					r = -ENOMEM;
					break;
				}
				if (strcmp(body, ".") == 0) {
					closed = true;
					break;
				}
				if (kind == 'F') {
					const char *t = body;

					if (t[0] == '.' && t[1] == '.')
						t++;
					r = mbuf_put(&b, b.len, t, strlen(t));
					if (r == 0)
						r = mbuf_put(&b, b.len, "\n", 1);
				} else if (hv_strstrip(body)[0] != '\0') {
					r = hex_line(&b, body, &off);
					if (r == -EBADMSG)
						hv_parse_error_set(err, lineno, "not a hex dump line");
				}
				if (r < 0)
					break;
			}
			if (r == 0 && !closed) {
				hv_parse_error_set(err, start, "'%c %s' is not closed by a line '.'", kind, path);
				r = -EBADMSG;
			}
			if (r == 0)
				r = write_file(dfd, path, b.p ? (const void *)b.p : "", b.len);
			free(b.p);
			break;
		}
		default:
			hv_parse_error_set(err, lineno, "unknown record kind '%c'", kind);
			r = -EBADMSG;
			break;
		}
		if (r < 0) {
			if (r != -EBADMSG && err && err->msg[0] == '\0')
				hv_parse_error_set(err, lineno, "%s: %s", path, hv_strerror(r));
			break;
		}
	}
	close(dfd);
	return r;
}
