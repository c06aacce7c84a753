/*
 * hv-util.h -- small helpers shared by every module: cleanup attributes,
 * string vectors, strict number parsing, growable arrays.
 *
 * Conventions (systemd's): functions return 0 or a negative errno and never
 * print or exit; output parameters are named ret_* and written only on
 * success; destructors accept NULL.
 */
#ifndef HV_UTIL_H
#define HV_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define _cleanup_(f)		__attribute__((cleanup(f)))
#define _cleanup_free_		_cleanup_(hv_freep)
#define _printf_(a, b)		__attribute__((format(printf, a, b)))
#define _unused_		__attribute__((unused))
#define _nonnull_(...)		__attribute__((nonnull(__VA_ARGS__)))
#define _warn_unused_result_	__attribute__((warn_unused_result))

#define HV_ELEMENTSOF(x)	(sizeof(x) / sizeof((x)[0]))
#define HV_MIN(a, b)		((a) < (b) ? (a) : (b))
#define HV_MAX(a, b)		((a) > (b) ? (a) : (b))

static inline void
hv_freep(void *p)
{
	free(*(void **)p);
}

/* Take ownership of *pp, leaving NULL behind (systemd's TAKE_PTR). */
#define HV_TAKE_PTR(p)				\
	({					\
		__typeof__(p) _hv_p_ = (p);	\
		(p) = NULL;			\
		_hv_p_;				\
	})

/* Three-valued facts: "we could not tell" is a value, never a guess. */
enum hv_tri {
	HV_TRI_UNKNOWN = 0,
	HV_TRI_NO,
	HV_TRI_YES,
};

static inline enum hv_tri
hv_tri_from_bool(bool b)
{
	return b ? HV_TRI_YES : HV_TRI_NO;
}

/* "yes", "no" or "unknown". Never NULL. */
const char *hv_tri_to_string(enum hv_tri t);

/* NULL-safe string helpers. hv_strdup(NULL) is NULL and is not an error. */
bool hv_streq(const char *a, const char *b);
bool hv_startswith(const char *s, const char *prefix);
char *hv_strdup(const char *s);
char *hv_strndup(const char *s, size_t n);

/* Format into a new string. NULL on ENOMEM. Caller frees. */
char *hv_asprintf(const char *fmt, ...) _printf_(1, 2);
char *hv_vasprintf(const char *fmt, va_list ap) _printf_(1, 0);

/* Strip leading and trailing whitespace in place; returns s. */
char *hv_strstrip(char *s);

/*
 * Strict integer parsing: the whole string (after stripping whitespace)
 * must be a number in range. base 0 accepts 0x/0 prefixes. -EINVAL if
 * empty or not a number, -ERANGE if out of range.
 */
int hv_parse_u64(const char *s, int base, uint64_t *ret);
int hv_parse_u32(const char *s, int base, uint32_t *ret);
int hv_parse_int(const char *s, int base, int *ret);

/* strerror for a positive or negative errno. Never NULL. */
const char *hv_strerror(int err);

/*
 * Grow *p (an array of elements of size sz, capacity *cap) to hold at least
 * need elements. 0 or -ENOMEM (and *p is then unchanged).
 */
int hv_grow(void **p, size_t *cap, size_t need, size_t sz);
#define HV_GROW(arr, cap, need) \
	hv_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/*
 * String vectors: a char ** with a separate count. Owned strings.
 */
struct hv_strv {
	char **v;
	size_t n;
	size_t cap;
};

/* Append s (taking ownership). On -ENOMEM s is freed. */
int hv_strv_push(struct hv_strv *sv, char *s);
/* Append a copy of s. */
int hv_strv_add(struct hv_strv *sv, const char *s);
/* Append a copy of s unless already present. */
int hv_strv_add_unique(struct hv_strv *sv, const char *s);
bool hv_strv_contains(const struct hv_strv *sv, const char *s);
void hv_strv_sort(struct hv_strv *sv);
/* Split s on any of the separator characters, skipping empty fields. */
int hv_strv_split(struct hv_strv *sv, const char *s, const char *sep);
/* Join with sep; "" for an empty vector. NULL on ENOMEM. */
char *hv_strv_join(const struct hv_strv *sv, const char *sep);
void hv_strv_clear(struct hv_strv *sv);

/*
 * Where a parser of untrusted text or bytes stopped, for a message that
 * names the file and the line (or byte offset) and what is wrong.
 */
struct hv_parse_error {
	unsigned line;		/* 1-based; 0 if not line-oriented */
	size_t offset;		/* byte offset, for binary inputs */
	char msg[200];
};
void hv_parse_error_set(struct hv_parse_error *e, unsigned line,
			const char *fmt, ...) _printf_(3, 4);

/* qsort comparator for an array of char * */
int hv_cmp_strp(const void *a, const void *b);

/*
 * Version comparison, as dpkg and rpm compare versions: runs of digits
 * compare numerically, everything else by character. <0, 0, >0.
 */
int hv_version_cmp(const char *a, const char *b);

#endif
