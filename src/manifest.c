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

/* The next line of the manifest (without its newline); NULL at the end. */
struct cursor {
	const char *p;
	const char *end;
	unsigned lineno;
};

static char *
next_line(struct cursor *c, bool *ret_oom)
{
	const char *nl;
	size_t n;
	char *line;

	*ret_oom = false;
	if (c->p >= c->end)
		return NULL;
	nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	n = nl ? (size_t)(nl - c->p) : (size_t)(c->end - c->p);
	line = strndup(c->p, n);
	if (!line) {
		*ret_oom = true;
		return NULL;
	}
	c->p += n + (nl ? 1 : 0);
	c->lineno++;
	return line;
}

/*
 * Read the body of an F (text) or x (hex) record up to its "." line into
 * b. -EBADMSG with err set when a line is malformed or "." is missing.
 */
static int
read_block(struct cursor *c, char kind, const char *path, struct mbuf *b,
	   struct hv_parse_error *err)
{
	unsigned start = c->lineno;
	size_t off = 0;

	for (;;) {
		_cleanup_free_ char *body = NULL;
		bool oom;
		int r = 0;

		body = next_line(c, &oom);
		if (oom)
			return -ENOMEM;
		if (!body) {
			hv_parse_error_set(err, start,
					   "'%c %s' is not closed by a line '.'",
					   kind, path);
			return -EBADMSG;
		}
		if (strcmp(body, ".") == 0)
			return 0;
		if (kind == 'F') {
			const char *t = body[0] == '.' && body[1] == '.' ? body + 1
									: body;

			r = mbuf_put(b, b->len, t, strlen(t));
			if (r == 0)
				r = mbuf_put(b, b->len, "\n", 1);
		} else if (hv_strstrip(body)[0] != '\0') {
			r = hex_line(b, body, &off);
			if (r == -EBADMSG)
				hv_parse_error_set(err, c->lineno,
						   "not a hex dump line");
		}
		if (r < 0)
			return r;
	}
}

/* Carry out one record. -EBADMSG with err set, or -errno. */
static int
do_record(int dfd, struct cursor *c, char kind, const char *path,
	  const char *arg, struct hv_parse_error *err)
{
	_cleanup_free_ char *text = NULL;
	struct mbuf b = { 0 };
	int r;

	switch (kind) {
	case 'd':
		return make_parents(dfd, path, true);
	case 'f':
		/* "f PATH" alone is an empty file */
		text = *arg ? hv_asprintf("%s\n", arg) : strdup("");
		return text ? write_file(dfd, path, text, strlen(text)) : -ENOMEM;
	case 'n':
		return write_file(dfd, path, arg, strlen(arg));
	case 'l':
		if (!*arg) {
			hv_parse_error_set(err, c->lineno, "link '%s' has no target",
					   path);
			return -EBADMSG;
		}
		r = make_parents(dfd, path, false);
		if (r == 0 && symlinkat(arg, dfd, path) < 0)
			r = -errno;
		return r;
	case 'F':
	case 'x':
		r = read_block(c, kind, path, &b, err);
		if (r == 0)
			r = write_file(dfd, path, b.p ? (const void *)b.p : "", b.len);
		free(b.p);
		return r;
	default:
		hv_parse_error_set(err, c->lineno, "unknown record kind '%c'", kind);
		return -EBADMSG;
	}
}

int
hv_manifest_materialize(const char *text, size_t len, const char *dir,
			struct hv_parse_error *err)
{
	struct cursor c = { .p = text, .end = text + len };
	int dfd, r = 0;

	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;

	for (;;) {
		_cleanup_free_ char *line = NULL;
		char kind, *path, *arg;
		unsigned lineno;
		bool oom;

		line = next_line(&c, &oom);
		if (oom) {
			r = -ENOMEM;
			break;
		}
		if (!line)
			break;
		lineno = c.lineno;
		if (line[0] == '#' || hv_strstrip(line)[0] == '\0')
			continue;
		kind = line[0];
		if (line[1] != ' ') {
			hv_parse_error_set(err, lineno,
					   "expected a record: 'KIND PATH ...'");
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
			hv_parse_error_set(err, lineno,
					   "bad path '%s': must be relative, without '..'",
					   path);
			r = -EBADMSG;
			break;
		}
		r = do_record(dfd, &c, kind, path, arg, err);
		if (r < 0) {
			if (r != -EBADMSG && err && err->msg[0] == '\0')
				hv_parse_error_set(err, lineno, "%s: %s", path,
						   hv_strerror(r));
			break;
		}
	}
	close(dfd);
	return r;
}
