/*
 * cpuid.c -- CPUID dumps: the `cpuid -r` text parser and formatter, leaf
 * look-up, and the decoder of the identification and virtualization leaves.
 * Pure: cpu.c does the reading (the instruction, or hwvirt/cpuid.txt in a
 * capture) and records what it read as hwvirt/cpuid.txt for captures.
 *
 * Text layout, as Debian's cpuid (Todd Allen's) prints it with -r; with -1
 * there is a single "CPU:" block instead of one "CPU N:" block per CPU:
 *
 *   CPU 0:
 *      0x00000000 0x00: eax=0x0000001c ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65
 *      <leaf:8 hex> <subleaf:2+ hex>: eax=<8 hex> ebx=<8 hex> ecx=<8 hex> edx=<8 hex>
 *      ...
 *   CPU 1:
 *      ...
 *
 * Releases before 2011 printed "   0x00000004: eax=..." without a subleaf;
 * as `cpuid -f` does, the subleaf of such a line of leaf 2, 4, 7, 0xb or
 * 0x8000001d is the count of earlier lines of that leaf in the block, and 0
 * for any other leaf. Lines before the first header form a single block.
 * Blank lines and trailing blanks (or a CR) are accepted; anything else is
 * rejected with its line number.
 *
 * Registers decoded here:
 *
 *   0           EAX max basic leaf; EBX,EDX,ECX vendor ("GenuineIntel")
 *   1           EAX signature:
 *                 31  28 27      20 19  16 15 14 13 12 11   8 7    4 3    0
 *                 +-----+----------+------+-----+-----+------+------+------+
 *                 |  -  | ext fam  |ext mod|  - | type| fam  | model| step |
 *                 +-----+----------+------+-----+-----+------+------+------+
 *               ECX[5] VMX, ECX[31] running under a hypervisor
 *   7.0         EDX[15] hybrid part
 *   0x1a        EAX[31:24] core type (0x20 Atom, 0x40 Core)
 *   0x40000000  EBX,ECX,EDX hypervisor vendor ("KVMKVMKVM\0\0\0")
 *   0x80000000  EAX max extended leaf
 *   0x80000001  ECX[2] SVM
 *   0x80000002-4  brand string, 48 bytes
 *   0x8000000a  SVM features (kept raw), 0x8000001f SME/SEV (kept raw)
 */
#include <ctype.h>
#include <stdio.h>

#include "hv-capture.h"
#include "hv-probe.h"

/* Bounds for untrusted dumps: x86 Linux has at most 8192 CPUs (NR_CPUS),
 * and a CPU has a few hundred leaves at most. */
#define CPUID_MAX_CPUS		8192u
#define CPUID_MAX_LEAVES	1024u

void
hv_cpuid_dump_clear(struct hv_cpuid_dump *d)
{
	if (!d)
		return;
	free(d->leaves);
	*d = (struct hv_cpuid_dump){ 0 };
}

void
hv_cpuid_dumps_free(struct hv_cpuid_dump *dumps, size_t n)
{
	if (!dumps)
		return;
	for (size_t i = 0; i < n; i++)
		hv_cpuid_dump_clear(&dumps[i]);
	free(dumps);
}

static int
key_cmp(uint32_t la, uint32_t sa, uint32_t lb, uint32_t sb)
{
	if (la != lb)
		return la < lb ? -1 : 1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	return 0;
}

const struct hv_cpuid_regs *
hv_cpuid_get(const struct hv_cpuid_dump *d, uint32_t leaf, uint32_t subleaf)
{
	size_t lo = 0, hi;

	if (!d || !d->leaves)
		return NULL;
	hi = d->n_leaves;
	/* leaves are sorted by (leaf, subleaf) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct hv_cpuid_leaf *l = &d->leaves[mid];
		int c = key_cmp(l->leaf, l->subleaf, leaf, subleaf);

		if (c == 0)
			return &l->r;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- the text parser -------------------------------------------------- */

/* A leaf line of the block being read, with its line for messages. */
struct pending {
	struct hv_cpuid_leaf l;
	unsigned line;
};

/* Leaves whose old-style lines (no subleaf) count their subleaf. */
static const uint32_t counted_leaves[] = {
	0x00000002, 0x00000004, 0x00000007, 0x0000000b, 0x8000001d,
};

struct parser {
	struct hv_cpuid_dump *dumps;	/* closed blocks */
	size_t n, cap;

	bool open;			/* a block is being read */
	int cpu;			/* its number, -1 for "CPU:" */
	unsigned header_line;
	struct pending *cur;
	size_t n_cur, cap_cur;
	bool sorted;			/* cur is in (leaf, subleaf) order */
	uint32_t counted[HV_ELEMENTSOF(counted_leaves)];

	bool single;			/* a "CPU:" block was opened */
	uint8_t seen[CPUID_MAX_CPUS / 8];	/* CPU numbers seen */
	struct hv_parse_error *err;
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * "0x" and between min and max hex digits at *pp (not past end), followed
 * by something that is not a hex digit. Advances *pp. false if malformed.
 */
static bool
parse_hex(const char **pp, const char *end, unsigned min, unsigned max,
	  uint32_t *ret)
{
	const char *p = *pp;
	uint32_t v = 0;
	unsigned n = 0;

	if (end - p < 2 || p[0] != '0' || (p[1] != 'x' && p[1] != 'X'))
		return false;
	p += 2;
	while (p < end && hex_digit(*p) >= 0) {
		if (++n > max)
			return false;
		v = v << 4 | (uint32_t)hex_digit(*p);
		p++;
	}
	if (n < min)
		return false;
	*pp = p;
	*ret = v;
	return true;
}

static int
pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = key_cmp(x->l.leaf, x->l.subleaf, y->l.leaf, y->l.subleaf);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int
parser_fail(struct parser *ps, unsigned line, const char *fmt, ...)
	_printf_(3, 4);

static int
parser_fail(struct parser *ps, unsigned line, const char *fmt, ...)
{
	char msg[sizeof(ps->err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hv_parse_error_set(ps->err, line, "%s", msg);
	return -EBADMSG;
}

static const char *
block_name(const struct parser *ps, char *buf, size_t n)
{
	if (ps->cpu < 0)
		return "CPU";
	snprintf(buf, n, "CPU %d", ps->cpu);
	return buf;
}

/* Sort the open block, check repeated leaves, and append it to dumps. */
static int
close_block(struct parser *ps)
{
	struct hv_cpuid_dump d = { .cpu = ps->cpu };
	char name[32];
	size_t n = 0;

	if (!ps->open)
		return 0;
	if (ps->n_cur == 0)
		return parser_fail(ps, ps->header_line, "%s: block has no leaves",
				   block_name(ps, name, sizeof(name)));
	if (!ps->sorted)
		qsort(ps->cur, ps->n_cur, sizeof(*ps->cur), pending_cmp);
	d.leaves = calloc(ps->n_cur, sizeof(*d.leaves));
	if (!d.leaves)
		return -ENOMEM;
	for (size_t i = 0; i < ps->n_cur; i++) {
		const struct pending *p = &ps->cur[i];

		if (n > 0 && key_cmp(d.leaves[n - 1].leaf, d.leaves[n - 1].subleaf,
				     p->l.leaf, p->l.subleaf) == 0) {
			/* the same line twice says nothing new; two values
			 * for one leaf is a contradiction */
			if (memcmp(&d.leaves[n - 1].r, &p->l.r, sizeof(p->l.r)) == 0)
				continue;
			free(d.leaves);
			return parser_fail(ps, p->line,
					   "leaf 0x%08x subleaf 0x%02x repeated "
					   "with other values (first on line %u)",
					   p->l.leaf, p->l.subleaf,
					   ps->cur[i - 1].line);
		}
		d.leaves[n++] = p->l;
	}
	d.n_leaves = d.cap = n;
	if (HV_GROW(ps->dumps, ps->cap, ps->n + 1) < 0) {
		free(d.leaves);
		return -ENOMEM;
	}
	ps->dumps[ps->n++] = d;
	ps->open = false;
	ps->n_cur = 0;
	return 0;
}

static int
open_block(struct parser *ps, int cpu, unsigned line)
{
	int r;

	r = close_block(ps);
	if (r < 0)
		return r;
	if (ps->n >= CPUID_MAX_CPUS)
		return parser_fail(ps, line, "more than %u CPU blocks",
				   CPUID_MAX_CPUS);
	ps->open = true;
	ps->cpu = cpu;
	ps->header_line = line;
	ps->n_cur = 0;
	ps->sorted = true;
	memset(ps->counted, 0, sizeof(ps->counted));
	return 0;
}

/* "CPU:" or "CPU N:" (s..e stripped). */
static int
parse_header(struct parser *ps, const char *s, const char *e, unsigned line)
{
	const char *p = s + 3, *num;
	unsigned long cpu = 0;
	unsigned digits = 0;

	if (p < e && *p == ':' && p + 1 == e) {
		if (ps->n > 0 || ps->open)
			return parser_fail(ps, line,
					   "\"CPU:\" block after other CPU blocks");
		ps->single = true;
		return open_block(ps, -1, line);
	}
	if (p == e || !is_blank(*p))
		return parser_fail(ps, line, "expected \"CPU:\" or \"CPU N:\"");
	while (p < e && is_blank(*p))
		p++;
	num = p;
	while (p < e && *p >= '0' && *p <= '9') {
		if (digits++ < 9)
			cpu = cpu * 10 + (unsigned long)(*p - '0');
		p++;
	}
	if (digits == 0 || p == e || *p != ':' || p + 1 != e)
		return parser_fail(ps, line, "expected \"CPU:\" or \"CPU N:\"");
	if (digits > 9 || cpu >= CPUID_MAX_CPUS)
		return parser_fail(ps, line,
				   "CPU number %.*s out of range (0-%u)",
				   (int)HV_MIN(digits, 20u), num,
				   CPUID_MAX_CPUS - 1);
	if (ps->single)
		return parser_fail(ps, line,
				   "\"CPU %lu:\" after a single-CPU block", cpu);
	if (ps->seen[cpu / 8] & (1u << (cpu % 8)))
		return parser_fail(ps, line, "CPU %lu appears twice", cpu);
	ps->seen[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
	return open_block(ps, (int)cpu, line);
}

/* "0xLLLLLLLL 0xSS: eax=0x... ebx=0x... ecx=0x... edx=0x..." (stripped). */
static int
parse_leaf(struct parser *ps, const char *s, const char *e, unsigned line)
{
	static const char *const names[] = { "eax", "ebx", "ecx", "edx" };
	struct pending pd = { .line = line };
	uint32_t v[4];
	bool has_sub = false;
	const char *p = s;
	int r;

	if (!parse_hex(&p, e, 8, 8, &pd.l.leaf))
		return parser_fail(ps, line,
				   "expected a leaf number \"0x\" and 8 hex digits");
	if (p < e && *p == ':') {
		p++;
	} else {
		if (p == e || !is_blank(*p))
			return parser_fail(ps, line,
					   "expected a subleaf after the leaf");
		while (p < e && is_blank(*p))
			p++;
		if (!parse_hex(&p, e, 2, 8, &pd.l.subleaf))
			return parser_fail(ps, line, "bad subleaf number");
		if (p == e || *p != ':')
			return parser_fail(ps, line,
					   "expected ':' after the subleaf");
		p++;
		has_sub = true;
	}
	for (size_t i = 0; i < HV_ELEMENTSOF(names); i++) {
		if (p == e)
			return parser_fail(ps, line, "register %s missing",
					   names[i]);
		if (!is_blank(*p))
			return parser_fail(ps, line, "expected a blank before %s",
					   names[i]);
		while (p < e && is_blank(*p))
			p++;
		if (e - p < 4 || memcmp(p, names[i], 3) != 0 || p[3] != '=')
			return parser_fail(ps, line, "register %s missing",
					   names[i]);
		p += 4;
		if (!parse_hex(&p, e, 8, 8, &v[i]))
			return parser_fail(ps, line,
					   "bad %s value (\"0x\" and 8 hex digits)",
					   names[i]);
	}
	if (p != e)
		return parser_fail(ps, line, "unexpected text after edx");
	pd.l.r = (struct hv_cpuid_regs){ v[0], v[1], v[2], v[3] };

	if (!ps->open) {
		/* leaf lines with no header: one block, as `cpuid -f` reads
		 * it (once a block is open, it stays open to the next one) */
		ps->single = true;
		r = open_block(ps, -1, line);
		if (r < 0)
			return r;
	}
	if (!has_sub) {
		for (size_t i = 0; i < HV_ELEMENTSOF(counted_leaves); i++)
			if (counted_leaves[i] == pd.l.leaf)
				pd.l.subleaf = ps->counted[i]++;
	}
	if (ps->n_cur >= CPUID_MAX_LEAVES)
		return parser_fail(ps, line, "more than %u leaves for one CPU",
				   CPUID_MAX_LEAVES);
	if (HV_GROW(ps->cur, ps->cap_cur, ps->n_cur + 1) < 0)
		return -ENOMEM;
	if (ps->n_cur > 0) {
		const struct hv_cpuid_leaf *last = &ps->cur[ps->n_cur - 1].l;

		if (key_cmp(last->leaf, last->subleaf, pd.l.leaf,
			    pd.l.subleaf) >= 0)
			ps->sorted = false;
	}
	ps->cur[ps->n_cur++] = pd;
	return 0;
}

int
hv_cpuid_parse_text(const char *buf, size_t len,
		    struct hv_cpuid_dump **ret_dumps, size_t *ret_n,
		    struct hv_parse_error *err)
{
	struct parser *ps;
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r = 0;

	/* the parser holds a 1 KiB bitmap: keep it off the stack */
	ps = calloc(1, sizeof(*ps));
	if (!ps)
		return -ENOMEM;
	ps->err = err;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *e = nl ? nl : end;

		p = nl ? nl + 1 : end;
		line++;
		while (e > s && is_blank(e[-1]))
			e--;
		while (s < e && is_blank(*s))
			s++;
		if (s == e)
			continue;
		if (memchr(s, '\0', (size_t)(e - s)))
			r = parser_fail(ps, line, "NUL byte in line");
		else if (e - s >= 3 && memcmp(s, "CPU", 3) == 0)
			r = parse_header(ps, s, e, line);
		else if (*s == '0')
			r = parse_leaf(ps, s, e, line);
		else
			r = parser_fail(ps, line,
					"expected \"CPU N:\" or a leaf line "
					"\"0xLEAF 0xSUB: eax=... ebx=... "
					"ecx=... edx=...\"");
		if (r < 0)
			goto fail;
	}
	r = close_block(ps);
	if (r < 0)
		goto fail;
	if (ps->n == 0) {
		r = parser_fail(ps, line ? line : 1, "no CPUID leaves");
		goto fail;
	}
	*ret_dumps = ps->dumps;
	*ret_n = ps->n;
	free(ps->cur);
	free(ps);
	return 0;
fail:
	hv_cpuid_dumps_free(ps->dumps, ps->n);
	free(ps->cur);
	free(ps);
	return r;
}

/* ---- the text formatter ----------------------------------------------- */

/* The longest leaf line: a subleaf of 8 hex digits. */
#define CPUID_LINE_MAX	(sizeof("   0x00000000 0x00000000: eax=0x00000000 "	\
				"ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"))

/* Would the dumps read back as themselves? 0 or -EINVAL. */
static int
format_check(const struct hv_cpuid_dump *dumps, size_t n, uint8_t *seen)
{
	if (n == 0 || n > CPUID_MAX_CPUS)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		const struct hv_cpuid_dump *d = &dumps[i];

		if (d->cpu < 0) {
			if (n != 1)
				return -EINVAL;
		} else {
			unsigned c = (unsigned)d->cpu;

			if (c >= CPUID_MAX_CPUS || (seen[c / 8] & (1u << (c % 8))))
				return -EINVAL;
			seen[c / 8] |= (uint8_t)(1u << (c % 8));
		}
		if (d->n_leaves == 0 || d->n_leaves > CPUID_MAX_LEAVES ||
		    !d->leaves)
			return -EINVAL;
		for (size_t j = 1; j < d->n_leaves; j++)
			if (key_cmp(d->leaves[j - 1].leaf, d->leaves[j - 1].subleaf,
				    d->leaves[j].leaf, d->leaves[j].subleaf) >= 0)
				return -EINVAL;
	}
	return 0;
}

int
hv_cpuid_format_text(const struct hv_cpuid_dump *dumps, size_t n, char **ret,
		     size_t *ret_len)
{
	_cleanup_free_ uint8_t *seen = NULL;
	size_t cap = 1, len = 0;
	char *buf;
	int r;

	if (!dumps)
		return -EINVAL;
	seen = calloc(1, CPUID_MAX_CPUS / 8);
	if (!seen)
		return -ENOMEM;
	r = format_check(dumps, n, seen);
	if (r < 0)
		return r;
	/* bounded above: 8192 blocks of 1024 lines */
	for (size_t i = 0; i < n; i++)
		cap += sizeof("CPU 4294967295:\n") +
		       dumps[i].n_leaves * CPUID_LINE_MAX;
	buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const struct hv_cpuid_dump *d = &dumps[i];

		if (d->cpu < 0)
			len += (size_t)snprintf(buf + len, cap - len, "CPU:\n");
		else
			len += (size_t)snprintf(buf + len, cap - len, "CPU %d:\n",
						d->cpu);
		for (size_t j = 0; j < d->n_leaves; j++) {
			const struct hv_cpuid_leaf *l = &d->leaves[j];

			len += (size_t)snprintf(buf + len, cap - len,
						"   0x%08x 0x%02x: eax=0x%08x "
						"ebx=0x%08x ecx=0x%08x edx=0x%08x\n",
						l->leaf, l->subleaf, l->r.eax,
						l->r.ebx, l->r.ecx, l->r.edx);
		}
	}
	*ret = buf;
	*ret_len = len;
	return 0;
}

/* ---- decoding --------------------------------------------------------- */

static const struct {
	const char *id;
	enum hv_cpu_vendor vendor;
} vendor_ids[] = {
	{ "GenuineIntel", HV_CPU_VENDOR_INTEL },
	{ "AuthenticAMD", HV_CPU_VENDOR_AMD },
	{ "HygonGenuine", HV_CPU_VENDOR_HYGON },
};

/*
 * The registers as the CPU stores a string in them (little-endian bytes),
 * up to the first NUL; bytes that are not printable ASCII become '?' so a
 * hostile dump cannot put control characters into reports.
 */
static void
regs_to_string(char *dst, const uint32_t *regs, size_t n_regs)
{
	size_t n = 0;

	for (size_t i = 0; i < n_regs; i++)
		for (unsigned b = 0; b < 4; b++)
			dst[n++] = (char)(regs[i] >> (8 * b) & 0xff);
	dst[n] = '\0';
	for (char *c = dst; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			*c = '?';
}

static bool
bit(uint32_t v, unsigned n)
{
	return (v >> n) & 1;
}

void
hv_cpuid_decode(struct hv_cpu *cpu)
{
	const struct hv_cpuid_dump *d;
	const struct hv_cpuid_regs *r;
	uint32_t regs[12];

	cpu->vendor = HV_CPU_VENDOR_UNKNOWN;
	memset(cpu->vendor_id, 0, sizeof(cpu->vendor_id));
	memset(cpu->brand, 0, sizeof(cpu->brand));
	cpu->signature = 0;
	cpu->family = cpu->model = cpu->stepping = 0;
	cpu->max_leaf = cpu->max_ext_leaf = 0;
	cpu->vmx = cpu->svm = cpu->hypervisor = cpu->hybrid = false;
	memset(cpu->hypervisor_id, 0, sizeof(cpu->hypervisor_id));
	cpu->have_svm_leaf = cpu->have_sev_leaf = false;
	cpu->svm_leaf = cpu->sev_leaf = (struct hv_cpuid_regs){ 0 };

	if (cpu->n_types == 0 || !cpu->types)
		return;
	d = &cpu->types[0].cpuid;

	r = hv_cpuid_get(d, 0, 0);
	if (!r)
		return;
	cpu->max_leaf = r->eax;
	regs[0] = r->ebx;
	regs[1] = r->edx;
	regs[2] = r->ecx;
	regs_to_string(cpu->vendor_id, regs, 3);
	cpu->vendor = cpu->vendor_id[0] ? HV_CPU_VENDOR_OTHER
					: HV_CPU_VENDOR_UNKNOWN;
	for (size_t i = 0; i < HV_ELEMENTSOF(vendor_ids); i++)
		if (strcmp(cpu->vendor_id, vendor_ids[i].id) == 0)
			cpu->vendor = vendor_ids[i].vendor;

	r = cpu->max_leaf >= 1 ? hv_cpuid_get(d, 1, 0) : NULL;
	if (r) {
		unsigned base_family = (r->eax >> 8) & 0xf;
		unsigned base_model = (r->eax >> 4) & 0xf;

		cpu->signature = r->eax;
		cpu->stepping = r->eax & 0xf;
		/* SDM vol. 2A CPUID, "DisplayFamily/DisplayModel"; what
		 * `cpuid` prints as (family synth) and (model synth) */
		cpu->family = base_family;
		if (base_family == 0xf)
			cpu->family += (r->eax >> 20) & 0xff;
		cpu->model = base_model;
		if (base_family == 0x6 || base_family == 0xf)
			cpu->model += ((r->eax >> 16) & 0xf) << 4;
		cpu->vmx = bit(r->ecx, 5);
		cpu->hypervisor = bit(r->ecx, 31);
	}

	r = cpu->max_leaf >= 7 ? hv_cpuid_get(d, 7, 0) : NULL;
	if (r)
		cpu->hybrid = bit(r->edx, 15);

	r = cpu->hypervisor ? hv_cpuid_get(d, 0x40000000, 0) : NULL;
	if (r) {
		regs[0] = r->ebx;
		regs[1] = r->ecx;
		regs[2] = r->edx;
		regs_to_string(cpu->hypervisor_id, regs, 3);
	}

	r = hv_cpuid_get(d, 0x80000000, 0);
	if (!r || r->eax < 0x80000000 || r->eax > 0x8000ffff)
		return;	/* no extended leaves (or garbage where they are) */
	cpu->max_ext_leaf = r->eax;

	r = hv_cpuid_get(d, 0x80000001, 0);
	if (r)
		cpu->svm = bit(r->ecx, 2);

	if (cpu->max_ext_leaf >= 0x80000004) {
		bool all = true;

		for (uint32_t l = 0; l < 3 && all; l++) {
			r = hv_cpuid_get(d, 0x80000002 + l, 0);
			if (!r) {
				all = false;
				break;
			}
			regs[4 * l] = r->eax;
			regs[4 * l + 1] = r->ebx;
			regs[4 * l + 2] = r->ecx;
			regs[4 * l + 3] = r->edx;
		}
		if (all) {
			char tmp[sizeof(cpu->brand)];
			const char *s;

			regs_to_string(tmp, regs, 12);
			s = hv_strstrip(tmp);
			memcpy(cpu->brand, s, strlen(s) + 1);
		}
	}

	r = cpu->max_ext_leaf >= 0x8000000a ? hv_cpuid_get(d, 0x8000000a, 0)
					    : NULL;
	if (r) {
		cpu->have_svm_leaf = true;
		cpu->svm_leaf = *r;
	}
	r = cpu->max_ext_leaf >= 0x8000001f ? hv_cpuid_get(d, 0x8000001f, 0)
					    : NULL;
	if (r) {
		cpu->have_sev_leaf = true;
		cpu->sev_leaf = *r;
	}
}
