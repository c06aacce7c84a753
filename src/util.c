/*
 * util.c -- string, number and array helpers shared by every module.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>

#include "hv-util.h"

const char *
hv_tri_to_string(enum hv_tri t)
{
	switch (t) {
	case HV_TRI_YES:
		return "yes";
	case HV_TRI_NO:
		return "no";
	case HV_TRI_UNKNOWN:
		break;
	}
	return "unknown";
}

bool
hv_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

bool
hv_startswith(const char *s, const char *prefix)
{
	if (!s || !prefix)
		return false;
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *
hv_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *
hv_strndup(const char *s, size_t n)
{
	return s ? strndup(s, n) : NULL;
}

char *
hv_vasprintf(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

char *
hv_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = hv_vasprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *
hv_strstrip(char *s)
{
	char *e;

	if (!s)
		return NULL;
	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

int
hv_parse_u64(const char *s, int base, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	if (!s)
		return -EINVAL;
	while (isspace((unsigned char)*s))
		s++;
	/* strtoull accepts a sign and wraps negative numbers: refuse both. */
	if (*s == '\0' || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno != 0 || end == s)
		return -EINVAL;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

int
hv_parse_u32(const char *s, int base, uint32_t *ret)
{
	uint64_t v;
	int r;

	r = hv_parse_u64(s, base, &v);
	if (r < 0)
		return r;
	if (v > UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

int
hv_parse_int(const char *s, int base, int *ret)
{
	long v;
	char *end;

	if (!s)
		return -EINVAL;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, base);
	if (errno == ERANGE || v > INT_MAX || v < INT_MIN)
		return -ERANGE;
	if (errno != 0 || end == s)
		return -EINVAL;
	while (isspace((unsigned char)*end))
		end++;
	if (*end != '\0')
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

const char *
hv_strerror(int err)
{
	const char *s;

	if (err < 0)
		err = -err;
	s = strerrordesc_np(err);
	return s ? s : "unknown error";
}

void
hv_parse_error_set(struct hv_parse_error *e, unsigned line, const char *fmt,
		   ...)
{
	va_list ap;

	if (!e)
		return;
	e->line = line;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

int
hv_grow(void **p, size_t *cap, size_t need, size_t sz)
{
	size_t ncap;
	void *q;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 4;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	/* refuse what cannot be allocated before asking for it */
	if (sz == 0 || ncap > PTRDIFF_MAX / sz)
		return -ENOMEM;
	q = reallocarray(*p, ncap, sz);
	if (!q)
		return -ENOMEM;
	memset((char *)q + *cap * sz, 0, (ncap - *cap) * sz);
	*p = q;
	*cap = ncap;
	return 0;
}

int
hv_strv_push(struct hv_strv *sv, char *s)
{
	if (!s)
		return -ENOMEM;
	/* one spare slot keeps v NULL-terminated */
	if (HV_GROW(sv->v, sv->cap, sv->n + 2) < 0) {
		free(s);
		return -ENOMEM;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return 0;
}

int
hv_strv_add(struct hv_strv *sv, const char *s)
{
	return hv_strv_push(sv, strdup(s));
}

bool
hv_strv_contains(const struct hv_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return true;
	return false;
}

int
hv_strv_add_unique(struct hv_strv *sv, const char *s)
{
	if (hv_strv_contains(sv, s))
		return 0;
	return hv_strv_add(sv, s);
}

int
hv_cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
hv_strv_sort(struct hv_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(char *), hv_cmp_strp);
}

int
hv_strv_split(struct hv_strv *sv, const char *s, const char *sep)
{
	const char *p = s;

	while (*p) {
		size_t n = strcspn(p, sep);
		int r;

		if (n > 0) {
			r = hv_strv_push(sv, strndup(p, n));
			if (r < 0)
				return r;
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

char *
hv_strv_join(const struct hv_strv *sv, const char *sep)
{
	size_t len = 1, seplen = strlen(sep);
	char *s, *p;

	for (size_t i = 0; i < sv->n; i++)
		len += strlen(sv->v[i]) + (i ? seplen : 0);
	s = malloc(len);
	if (!s)
		return NULL;
	p = s;
	for (size_t i = 0; i < sv->n; i++) {
		size_t l = strlen(sv->v[i]);

		if (i) {
			memcpy(p, sep, seplen);
			p += seplen;
		}
		memcpy(p, sv->v[i], l);
		p += l;
	}
	*p = '\0';
	return s;
}

void
hv_strv_clear(struct hv_strv *sv)
{
	if (!sv)
		return;
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

int
hv_version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea, *eb;
			size_t la, lb;
			int c;

			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			la = (size_t)(ea - a);
			lb = (size_t)(eb - b);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = strncmp(a, b, la);
			if (c)
				return c < 0 ? -1 : 1;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b) {
			/* a separator sorts before a digit or letter, and the
			 * end before anything: "1.2" < "1.2.1" */
			unsigned char ca = (unsigned char)*a;
			unsigned char cb = (unsigned char)*b;

			if (!ca)
				return -1;
			if (!cb)
				return 1;
			if (isalnum(ca) != isalnum(cb))
				return isalnum(ca) ? 1 : -1;
			return ca < cb ? -1 : 1;
		}
		a++;
		b++;
	}
	return 0;
}
