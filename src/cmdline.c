/*
 * cmdline.c -- the kernel command line, split into parameters exactly as
 * the kernel splits it: next_arg() in lib/cmdline.c, driven by
 * parse_args() in kernel/params.c (Linux 6.x).
 *
 * The kernel's rules, which this file reproduces byte for byte:
 *
 *   "  foo=bar  "quiet x" a="b c"  iommu=pt -- init args"
 *      |       | |       |        |        |
 *      |       | |       |        |        +- a bare "--" ends the kernel's
 *      |       | |       |        |           part: the rest goes to init
 *      |       | |       |        +- the first '=' splits key and value
 *      |       | |       +- a value starting with '"' loses it, and the
 *      |       | |          parameter's last character if that is '"'
 *      |       | +- a parameter starting with '"' loses it, and its last
 *      |       |    character if that is '"'
 *      |       +- whitespace separates, except inside double quotes
 *      +- leading whitespace is skipped
 *
 * Whitespace is the kernel's isspace(): \t \n \v \f \r, space and 0xa0
 * (lib/ctype.c marks the Latin-1 no-break space as a space). Quotes cannot
 * be escaped; an unclosed quote runs to the end of the line. A '=' in the
 * first position does not split ("=x" is a key), as in the kernel, where
 * index 0 means "no '=' seen". Keys are kept as written; the kernel treats
 * '-' and '_' in keys as the same (parameq), and so does hv_cmdline_get().
 */
#include "hv-probe.h"

/* isspace() of the kernel's lib/ctype.c, which differs from the C locale's
 * in also counting 0xa0. */
static bool
kernel_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

static char *
skip_spaces(char *s)
{
	while (kernel_isspace((unsigned char)*s))
		s++;
	return s;
}

/*
 * next_arg() of lib/cmdline.c on a writable buffer: cut the parameter at
 * args in place, point *param and *val (NULL for a bare flag) into it, and
 * return where the next one starts.
 */
static char *
next_arg(char *args, char **param, char **val)
{
	bool in_quote = false, quoted = false;
	size_t i, equals = 0;
	char *next;

	if (*args == '"') {
		args++;
		in_quote = true;
		quoted = true;
	}

	for (i = 0; args[i]; i++) {
		if (kernel_isspace((unsigned char)args[i]) && !in_quote)
			break;
		if (equals == 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}

	*param = args;
	if (equals == 0) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		/* Do not include quotes in the value. i > equals >= 1 here. */
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	/* The kernel tests args[i-1] even for i == 0 (it then clears the
	 * opening quote it skipped); the result is the same empty key. */
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';

	if (args[i]) {
		args[i] = '\0';
		next = args + i + 1;
	} else {
		next = args + i;
	}
	return skip_spaces(next);
}

static int
cmdline_push(struct hv_cmdline *c, const char *key, const char *value)
{
	struct hv_kparam *p;

	if (HV_GROW(c->params, c->cap, c->n_params + 1) < 0)
		return -ENOMEM;
	p = &c->params[c->n_params];
	*p = (struct hv_kparam){ 0 };
	p->key = strdup(key);
	if (!p->key)
		return -ENOMEM;
	if (value) {
		p->value = strdup(value);
		if (!p->value) {
			free(p->key);
			p->key = NULL;
			return -ENOMEM;
		}
	}
	c->n_params++;
	return 0;
}

int
hv_cmdline_parse(const char *s, struct hv_cmdline *ret)
{
	struct hv_cmdline c = { 0 };
	_cleanup_free_ char *buf = NULL;
	char *args;

	buf = strdup(s ? s : "");
	if (!buf)
		return -ENOMEM;

	args = skip_spaces(buf);
	while (*args) {
		char *param, *val;
		int r;

		args = next_arg(args, &param, &val);
		/* parse_args(): stop at a bare "--"; the rest is for init. */
		if (!val && strcmp(param, "--") == 0)
			break;
		if (c.n_params >= HV_CMDLINE_MAX_PARAMS) {
			hv_cmdline_clear(&c);
			return -E2BIG;
		}
		r = cmdline_push(&c, param, val);
		if (r < 0) {
			hv_cmdline_clear(&c);
			return r;
		}
	}
	*ret = c;
	return 0;
}

void
hv_cmdline_clear(struct hv_cmdline *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_params; i++) {
		free(c->params[i].key);
		free(c->params[i].value);
	}
	free(c->params);
	*c = (struct hv_cmdline){ 0 };
}
