/*
 * cpu.c -- the CPU probe: CPUID on each distinct CPU type, the kernel's
 * view (proc/cpuinfo), NUMA nodes, and the virtualization features derived
 * from them.
 *
 * Reads:  CPUID: the instruction on a live host; hwvirt/cpuid.txt
 *           (`cpuid -r` text, parsed by cpuid.c) in a capture
 *         sys/devices/system/cpu/online   (which CPUs to read CPUID on)
 *         proc/cpuinfo
 *         sys/devices/system/node/online, else sys/devices/system/node/nodeN
 * Fills:  host->cpu
 * Records: on a live host, what CPUID said as hwvirt/cpuid.txt
 *         (hv_root_record_data), so that a capture holds it
 *
 * Hybrid parts (CPUID.(7,0):EDX[15]) have CPUs of different core types
 * whose CPUID differs (caches, features): each type is read once, on a CPU
 * of that type, and listed with its CPUs in the kernel's list format
 * ("0-3,8-11"). types[0] is the type of the lowest-numbered CPU.
 */
#include <sched.h>
#include <stdio.h>

#include "hv-capture.h"
#include "hv-probe.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define HAVE_CPUID_INSN 1
#else
#define HAVE_CPUID_INSN 0
#endif

#define CPU_MAX_IDS	8192u	/* x86 Linux NR_CPUS limit */
#define NODE_MAX_IDS	1024u	/* MAX_NUMNODES with NODES_SHIFT 10 */
#define SUBLEAF_CAP	64u	/* subleaves read of one leaf, at most */
#define CPUINFO_MAX_PACKAGES	4096u

static const char cpuid_txt[] = "hwvirt/cpuid.txt";
static const char cpu_online[] = "sys/devices/system/cpu/online";
static const char cpuinfo_path[] = "proc/cpuinfo";
static const char node_online[] = "sys/devices/system/node/online";
static const char node_dir[] = "sys/devices/system/node";

/* ---- CPU and node lists ("0-7,16-23") --------------------------------- */

static bool
bit_test(const uint8_t *bits, unsigned n)
{
	return bits[n / 8] & (1u << (n % 8));
}

static void
bit_set(uint8_t *bits, unsigned n)
{
	bits[n / 8] |= (uint8_t)(1u << (n % 8));
}

static const char *
parse_id(const char *p, unsigned max, unsigned *ret)
{
	unsigned long v = 0;
	unsigned digits = 0;

	while (*p >= '0' && *p <= '9') {
		if (++digits > 9)
			return NULL;
		v = v * 10 + (unsigned long)(*p - '0');
		p++;
	}
	if (digits == 0 || v >= max)
		return NULL;
	*ret = (unsigned)v;
	return p;
}

/*
 * Parse a list as the kernel prints a cpumask or nodemask with %*pbl:
 * "", "0", "0-7,16-23". Ids must be below max. Sets bits (max bits, zeroed
 * by the caller) and returns the number of ids, or -EBADMSG.
 */
static int
parse_id_list(const char *s, uint8_t *bits, unsigned max)
{
	unsigned count = 0;

	if (*s == '\0')
		return 0;
	for (;;) {
		unsigned a, b;

		s = parse_id(s, max, &a);
		if (!s)
			return -EBADMSG;
		b = a;
		if (*s == '-') {
			s = parse_id(s + 1, max, &b);
			if (!s || b < a)
				return -EBADMSG;
		}
		for (unsigned i = a; i <= b; i++) {
			if (!bit_test(bits, i))
				count++;
			bit_set(bits, i);
		}
		if (*s == '\0')
			return (int)count;
		if (*s != ',')
			return -EBADMSG;
		s++;
	}
}

/* The ids set in bits, in the kernel's list format. NULL on ENOMEM. */
static char *
format_id_list(const uint8_t *bits, unsigned max)
{
	size_t runs = 0, len = 0, cap;
	char *s;

	for (unsigned i = 0; i < max; i++)
		if (bit_test(bits, i) && (i == 0 || !bit_test(bits, i - 1)))
			runs++;
	cap = runs * 24 + 1;	/* "4294967295-4294967295," fits */
	s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (unsigned i = 0; i < max; i++) {
		unsigned j = i;

		if (!bit_test(bits, i))
			continue;
		while (j + 1 < max && bit_test(bits, j + 1))
			j++;
		if (j == i)
			len += (size_t)snprintf(s + len, cap - len, "%s%u",
						len ? "," : "", i);
		else
			len += (size_t)snprintf(s + len, cap - len, "%s%u-%u",
						len ? "," : "", i, j);
		i = j;
	}
	return s;
}

/* ---- distinct CPU types ----------------------------------------------- */

/* The core type of a dump: 0x1a EAX[31:24] on hybrid parts, else 0. */
static uint8_t
dump_core_type(const struct hv_cpuid_dump *d)
{
	const struct hv_cpuid_regs *r7 = hv_cpuid_get(d, 7, 0);
	const struct hv_cpuid_regs *r1a = hv_cpuid_get(d, 0x1a, 0);

	if (!r7 || !(r7->edx & (1u << 15)) || !r1a)
		return 0;
	return (uint8_t)(r1a->eax >> 24);
}

static bool
dump_hybrid(const struct hv_cpuid_dump *d)
{
	const struct hv_cpuid_regs *r7 = hv_cpuid_get(d, 7, 0);

	return r7 && (r7->edx & (1u << 15));
}

/* Types being collected: a core type, its CPUID, the CPUs seen of it. */
struct type_acc {
	uint8_t core_type;
	bool cpus_known;
	struct hv_cpuid_dump dump;
	uint8_t cpus[CPU_MAX_IDS / 8];
};

struct types {
	struct type_acc *v;
	size_t n, cap;
};

static void
types_clear(struct types *t)
{
	for (size_t i = 0; i < t->n; i++)
		hv_cpuid_dump_clear(&t->v[i].dump);
	free(t->v);
	*t = (struct types){ 0 };
}

/* The type with core_type, added (empty) if new. NULL on ENOMEM. */
static struct type_acc *
types_get(struct types *t, uint8_t core_type, bool *ret_new)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].core_type == core_type) {
			*ret_new = false;
			return &t->v[i];
		}
	if (HV_GROW(t->v, t->cap, t->n + 1) < 0)
		return NULL;
	t->v[t->n] = (struct type_acc){ .core_type = core_type };
	*ret_new = true;
	return &t->v[t->n++];
}

/* Move the collected types into cpu->types. 0 or -ENOMEM. */
static int
types_finish(struct types *t, struct hv_cpu *cpu)
{
	struct hv_cpu_type *v;

	v = calloc(t->n ? t->n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++) {
		if (t->v[i].cpus_known) {
			v[i].cpus = format_id_list(t->v[i].cpus, CPU_MAX_IDS);
			if (!v[i].cpus) {
				for (size_t j = 0; j < i; j++)
					free(v[j].cpus);
				free(v);
				return -ENOMEM;
			}
		}
	}
	for (size_t i = 0; i < t->n; i++) {
		v[i].core_type = t->v[i].core_type;
		v[i].cpuid = t->v[i].dump;
		t->v[i].dump = (struct hv_cpuid_dump){ 0 };
	}
	cpu->types = v;
	cpu->n_types = t->n;
	types_clear(t);
	return 0;
}

/* One type from one dump, covering the CPUs in online (NULL: unknown). */
static int
types_single(struct hv_cpuid_dump *d, const char *online, struct hv_cpu *cpu)
{
	struct types t = { 0 };
	struct type_acc *a;
	bool is_new;
	int r;

	a = types_get(&t, dump_core_type(d), &is_new);
	if (!a)
		return -ENOMEM;
	if (online && parse_id_list(online, a->cpus, CPU_MAX_IDS) > 0)
		a->cpus_known = true;
	a->dump = *d;
	*d = (struct hv_cpuid_dump){ 0 };
	r = types_finish(&t, cpu);
	if (r < 0)
		types_clear(&t);
	return r;
}

static int
dump_cpu_cmp(const void *a, const void *b)
{
	const struct hv_cpuid_dump *x = a, *y = b;

	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

/* Group the blocks of a parsed dump by core type (capture path). The
 * dumps are consumed (moved into the types or left to be freed). */
static int
types_from_dumps(struct hv_cpuid_dump *dumps, size_t n, const char *online,
		 struct hv_cpu *cpu)
{
	struct types t = { 0 };
	int r;

	if (n == 1 && dumps[0].cpu < 0)
		/* `cpuid -r -1`: one CPU, assumed to stand for all */
		return types_single(&dumps[0], online, cpu);
	qsort(dumps, n, sizeof(*dumps), dump_cpu_cmp);
	for (size_t i = 0; i < n; i++) {
		int c = dumps[i].cpu;
		struct type_acc *a;
		bool is_new;

		a = types_get(&t, dump_core_type(&dumps[i]), &is_new);
		if (!a) {
			types_clear(&t);
			return -ENOMEM;
		}
		if (is_new) {
			a->dump = dumps[i];
			dumps[i] = (struct hv_cpuid_dump){ 0 };
		}
		/* the parser keeps CPU numbers below CPU_MAX_IDS */
		if (c >= 0 && (unsigned)c < CPU_MAX_IDS) {
			bit_set(a->cpus, (unsigned)c);
			a->cpus_known = true;
		}
	}
	r = types_finish(&t, cpu);
	if (r < 0)
		types_clear(&t);
	return r;
}

/* ---- CPUID, live -------------------------------------------------------- */

#if HAVE_CPUID_INSN

/* How a leaf's subleaves are enumerated (SDM vol. 2A and AMD APM vol. 3
 * CPUID; as `cpuid` walks them). Each is capped at SUBLEAF_CAP. */
enum sub_rule {
	SUB_CACHE,	/* until EAX[4:0] (cache type) is 0 */
	SUB_LEVEL,	/* until ECX[15:8] (level type) is 0 */
	SUB_PCONFIG,	/* until EAX[11:0] (target type) is 0 */
	SUB_MAX_EAX,	/* 1 .. EAX of subleaf 0 */
	SUB_BITS_EAX,	/* n where bit n of subleaf 0's EAX is set */
	SUB_BITS_EBX,
	SUB_BITS_EDX,
	SUB_XSAVE,	/* 1, and n where bit n of XCR0|XSS support is set */
	SUB_SGX,	/* 1, then 2.. until EAX[3:0] (section type) is 0 */
	SUB_FIXED_4,	/* 1 .. 3 */
};

static const struct {
	uint32_t leaf;
	enum sub_rule rule;
} sub_rules[] = {
	{ 0x00000004, SUB_CACHE },	/* deterministic cache parameters */
	{ 0x00000007, SUB_MAX_EAX },	/* structured extended features */
	{ 0x0000000b, SUB_LEVEL },	/* extended topology */
	{ 0x0000000d, SUB_XSAVE },	/* XSAVE state components */
	{ 0x0000000f, SUB_BITS_EDX },	/* RDT monitoring resources */
	{ 0x00000010, SUB_BITS_EBX },	/* RDT allocation resources */
	{ 0x00000012, SUB_SGX },	/* SGX capabilities, EPC sections */
	{ 0x00000014, SUB_MAX_EAX },	/* processor trace */
	{ 0x00000017, SUB_MAX_EAX },	/* SoC vendor attributes */
	{ 0x00000018, SUB_MAX_EAX },	/* address translation parameters */
	{ 0x0000001b, SUB_PCONFIG },	/* PCONFIG targets */
	{ 0x0000001d, SUB_MAX_EAX },	/* AMX tile palettes */
	{ 0x0000001e, SUB_MAX_EAX },	/* AMX TMUL */
	{ 0x0000001f, SUB_LEVEL },	/* V2 extended topology */
	{ 0x00000020, SUB_MAX_EAX },	/* processor history reset */
	{ 0x00000023, SUB_BITS_EAX },	/* architectural PMU extended */
	{ 0x00000024, SUB_MAX_EAX },	/* AVX10 */
	{ 0x8000001d, SUB_CACHE },	/* AMD cache topology */
	{ 0x80000020, SUB_FIXED_4 },	/* AMD PQoS extended features */
	{ 0x80000026, SUB_LEVEL },	/* AMD extended CPU topology */
};

static void
cpuid_exec(uint32_t leaf, uint32_t sub, struct hv_cpuid_regs *r)
{
	unsigned a = 0, b = 0, c = 0, d = 0;

	/*
	 * __get_cpuid_count checks leaf against the maximum of the basic or
	 * extended range; the hypervisor range has its own maximum (read by
	 * the caller once CPUID.1:ECX[31] said there is a hypervisor).
	 */
	if ((leaf & 0xf0000000u) == 0x40000000u)
		__cpuid_count(leaf, sub, a, b, c, d);
	else if (!__get_cpuid_count(leaf, sub, &a, &b, &c, &d))
		a = b = c = d = 0;
	*r = (struct hv_cpuid_regs){ a, b, c, d };
}

static int
dump_add(struct hv_cpuid_dump *d, uint32_t leaf, uint32_t sub,
	 const struct hv_cpuid_regs *r)
{
	if (HV_GROW(d->leaves, d->cap, d->n_leaves + 1) < 0)
		return -ENOMEM;
	d->leaves[d->n_leaves++] = (struct hv_cpuid_leaf){
		.leaf = leaf, .subleaf = sub, .r = *r,
	};
	return 0;
}

static bool
sub_valid(enum sub_rule rule, const struct hv_cpuid_regs *r)
{
	switch (rule) {
	case SUB_CACHE:
		return (r->eax & 0x1f) != 0;
	case SUB_LEVEL:
		return ((r->ecx >> 8) & 0xff) != 0;
	case SUB_PCONFIG:
		return (r->eax & 0xfff) != 0;
	case SUB_SGX:
		return (r->eax & 0xf) != 0;
	default:
		return true;
	}
}

/* Read leaf (subleaf 0 already in r0) and its subleaves, in order. */
static int
read_leaf(struct hv_cpuid_dump *d, uint32_t leaf,
	  const struct hv_cpuid_regs *r0)
{
	struct hv_cpuid_regs r;
	uint64_t mask = 0;
	uint32_t last = 0;
	size_t i;
	int ret;

	ret = dump_add(d, leaf, 0, r0);
	if (ret < 0)
		return ret;
	for (i = 0; i < HV_ELEMENTSOF(sub_rules); i++)
		if (sub_rules[i].leaf == leaf)
			break;
	if (i == HV_ELEMENTSOF(sub_rules))
		return 0;

	switch (sub_rules[i].rule) {
	case SUB_CACHE:
	case SUB_LEVEL:
	case SUB_PCONFIG:
		if (!sub_valid(sub_rules[i].rule, r0))
			return 0;
		for (uint32_t s = 1; s < SUBLEAF_CAP; s++) {
			cpuid_exec(leaf, s, &r);
			if (!sub_valid(sub_rules[i].rule, &r))
				break;
			ret = dump_add(d, leaf, s, &r);
			if (ret < 0)
				return ret;
		}
		return 0;
	case SUB_SGX:
		for (uint32_t s = 1; s < SUBLEAF_CAP; s++) {
			cpuid_exec(leaf, s, &r);
			if (s >= 2 && !sub_valid(SUB_SGX, &r))
				break;
			ret = dump_add(d, leaf, s, &r);
			if (ret < 0)
				return ret;
		}
		return 0;
	case SUB_MAX_EAX:
		last = HV_MIN(r0->eax, SUBLEAF_CAP - 1);
		break;
	case SUB_FIXED_4:
		last = 3;
		break;
	case SUB_BITS_EAX:
		mask = r0->eax;
		break;
	case SUB_BITS_EBX:
		mask = r0->ebx;
		break;
	case SUB_BITS_EDX:
		mask = r0->edx;
		break;
	case SUB_XSAVE:
		/* subleaf 1 always; then the state components that XCR0
		 * (0.EDX:EAX) or IA32_XSS (1.EDX:ECX) can enable */
		cpuid_exec(leaf, 1, &r);
		ret = dump_add(d, leaf, 1, &r);
		if (ret < 0)
			return ret;
		mask = ((uint64_t)r0->edx << 32 | r0->eax) |
		       ((uint64_t)r.edx << 32 | r.ecx);
		mask &= ~(uint64_t)3;
		break;
	}
	if (mask) {
		for (uint32_t s = 1; s < SUBLEAF_CAP; s++) {
			if (!(mask >> s & 1))
				continue;
			cpuid_exec(leaf, s, &r);
			ret = dump_add(d, leaf, s, &r);
			if (ret < 0)
				return ret;
		}
		return 0;
	}
	for (uint32_t s = 1; s <= last; s++) {
		cpuid_exec(leaf, s, &r);
		ret = dump_add(d, leaf, s, &r);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/* Read a range of leaves first..last (each with its subleaves). */
static int
read_range(struct hv_cpuid_dump *d, uint32_t first, uint32_t last)
{
	for (uint32_t leaf = first;; leaf++) {
		struct hv_cpuid_regs r;
		int ret;

		cpuid_exec(leaf, 0, &r);
		ret = read_leaf(d, leaf, &r);
		if (ret < 0)
			return ret;
		if (leaf == last)
			return 0;
	}
}

/*
 * Read every leaf that matters on the CPU this thread runs on, in
 * (leaf, subleaf) order: basic leaves up to 0x3f, the hypervisor ranges
 * 0x40000000 and 0x40000100 (only under a hypervisor), extended leaves up
 * to 0x800000ff. -ENODEV without CPUID, -ENOMEM.
 */
static int
cpuid_read_here(struct hv_cpuid_dump *ret)
{
	struct hv_cpuid_dump d = { .cpu = -1 };
	struct hv_cpuid_regs r1 = { 0 }, r;
	uint32_t max, maxe;
	int e;

	max = __get_cpuid_max(0, NULL);
	if (max == 0)
		return -ENODEV;
	e = read_range(&d, 0, HV_MIN(max, 0x3fu));
	if (e < 0)
		goto fail;
	cpuid_exec(1, 0, &r1);
	if (r1.ecx & (1u << 31)) {
		uint32_t maxh;

		cpuid_exec(0x40000000, 0, &r);
		/* KVM may report 0 for "0x40000001" (kvm/x86/cpuid.rst) */
		maxh = HV_MAX(r.eax, 0x40000001u);
		e = read_range(&d, 0x40000000, HV_MIN(maxh, 0x400000ffu));
		if (e < 0)
			goto fail;
		/* KVM with Hyper-V enlightenments moves itself here */
		cpuid_exec(0x40000100, 0, &r);
		maxh = r.eax >= 0x40000100u && r.eax <= 0x400001ffu ? r.eax
								   : 0x40000100u;
		e = read_range(&d, 0x40000100, maxh);
		if (e < 0)
			goto fail;
	}
	maxe = __get_cpuid_max(0x80000000, NULL);
	if (maxe >= 0x80000000u) {
		e = read_range(&d, 0x80000000, HV_MIN(maxe, 0x800000ffu));
		if (e < 0)
			goto fail;
	}
	*ret = d;
	return 0;
fail:
	hv_cpuid_dump_clear(&d);
	return e;
}

/*
 * Hybrid part: run on each online CPU in turn, read its core type, and the
 * whole set on the first CPU of each type. The thread's affinity is put
 * back afterwards. CPUs this thread may not run on (a cpuset) are left out
 * of the lists, with a diagnostic.
 */
/*
 * Read CPUID on the lowest online CPU this thread may run on, so that the
 * per-CPU fields (the APIC ids of leaves 1, 0xb, 0x1f, 0x8000001e) are the
 * same from one run to the next, and the report diffs clean; where the
 * thread cannot be moved, where it runs. The affinity is put back.
 */
static int
cpuid_read_first(const uint8_t *online, struct hv_cpuid_dump *ret)
{
	size_t size = CPU_ALLOC_SIZE(CPU_MAX_IDS);
	cpu_set_t *saved = NULL, *one = NULL;
	int r = 1;

	if (online) {
		saved = CPU_ALLOC(CPU_MAX_IDS);
		one = CPU_ALLOC(CPU_MAX_IDS);
		if (!saved || !one) {
			r = -ENOMEM;
			goto out;
		}
		if (sched_getaffinity(0, size, saved) < 0)
			goto out;
		for (unsigned c = 0; c < CPU_MAX_IDS; c++) {
			if (!bit_test(online, c) || !CPU_ISSET_S(c, size, saved))
				continue;
			CPU_ZERO_S(size, one);
			CPU_SET_S(c, size, one);
			if (sched_setaffinity(0, size, one) < 0)
				break;
			r = cpuid_read_here(ret);
			(void)sched_setaffinity(0, size, saved);
			break;
		}
	}
out:
	if (saved)
		CPU_FREE(saved);
	if (one)
		CPU_FREE(one);
	if (r > 0)
		r = cpuid_read_here(ret);
	return r;
}

/* What was read on one CPU of a hybrid part to tell its type. */
struct core_seen {
	unsigned cpu;
	struct hv_cpuid_regs r7;	/* 7.0: EDX[15] hybrid */
	struct hv_cpuid_regs r1a;	/* 0x1a.0: EAX[31:24] core type */
};

struct cores {
	struct core_seen *v;
	size_t n, cap;
};

static int
read_hybrid(struct hv_host *host, const uint8_t *online, struct types *t,
	    struct cores *seen)
{
	cpu_set_t *saved, *one;
	size_t size = CPU_ALLOC_SIZE(CPU_MAX_IDS);
	int r = 0;

	saved = CPU_ALLOC(CPU_MAX_IDS);
	one = CPU_ALLOC(CPU_MAX_IDS);
	if (!saved || !one) {
		r = -ENOMEM;
		goto out;
	}
	if (sched_getaffinity(0, size, saved) < 0) {
		r = -errno;
		goto out;
	}
	for (unsigned c = 0; c < CPU_MAX_IDS; c++) {
		struct hv_cpuid_regs r7, r1a;
		struct type_acc *a;
		bool is_new;

		if (!bit_test(online, c))
			continue;
		CPU_ZERO_S(size, one);
		CPU_SET_S(c, size, one);
		if (sched_setaffinity(0, size, one) < 0) {
			int e = errno;

			r = hv_host_diag(host, false, NULL, 0, -e,
					 "cpu %u: cannot run there to read its "
					 "CPUID: %s", c, hv_strerror(e));
			if (r < 0)
				break;
			continue;
		}
		cpuid_exec(7, 0, &r7);
		cpuid_exec(0x1a, 0, &r1a);
		a = types_get(t, (uint8_t)(r1a.eax >> 24), &is_new);
		if (!a || HV_GROW(seen->v, seen->cap, seen->n + 1) < 0) {
			r = -ENOMEM;
			break;
		}
		if (is_new) {
			r = cpuid_read_here(&a->dump);
			if (r < 0)
				break;
		}
		bit_set(a->cpus, c);
		a->cpus_known = true;
		seen->v[seen->n++] = (struct core_seen){ c, r7, r1a };
	}
	/* put the thread back where it was allowed to run */
	(void)sched_setaffinity(0, size, saved);
out:
	if (saved)
		CPU_FREE(saved);
	if (one)
		CPU_FREE(one);
	return r;
}

/*
 * Record what CPUID said as hwvirt/cpuid.txt, for a capture, in the form
 * the capture path reads back to the same types: one "CPU:" block when
 * every CPU is alike (the reader gives it the online CPUs); on a hybrid
 * part a "CPU N:" block with every leaf for the first CPU of each type,
 * and for each other CPU that was read a block of the two leaves read on
 * it, 7.0 and 0x1a.0, which tell its type, so the capture keeps which CPUs
 * are of which type. 0 or -ENOMEM.
 */
static int
record_cpuid(struct hv_root *root, struct hv_host *host,
	     const struct cores *seen)
{
	const struct hv_cpu *cpu = &host->cpu;
	_cleanup_free_ struct hv_cpuid_dump *blocks = NULL;
	_cleanup_free_ struct hv_cpuid_leaf *pairs = NULL;
	_cleanup_free_ uint8_t *done = NULL;
	_cleanup_free_ char *text = NULL;
	size_t n = 0, len = 0;
	int r;

	if (cpu->n_types == 0)
		return 0;
	if (!seen || seen->n == 0) {
		struct hv_cpuid_dump one = cpu->types[0].cpuid;

		one.cpu = -1;
		r = hv_cpuid_format_text(&one, 1, &text, &len);
	} else {
		blocks = calloc(seen->n, sizeof(*blocks));
		pairs = calloc(seen->n, 2 * sizeof(*pairs));
		done = calloc(cpu->n_types, 1);
		if (!blocks || !pairs || !done)
			return -ENOMEM;
		for (size_t i = 0; i < seen->n; i++) {
			const struct core_seen *c = &seen->v[i];
			uint8_t type = (uint8_t)(c->r1a.eax >> 24);
			struct hv_cpuid_leaf *p = &pairs[2 * n];
			size_t k;

			for (k = 0; k < cpu->n_types; k++)
				if (cpu->types[k].core_type == type)
					break;
			if (k == cpu->n_types)
				continue;
			if (!done[k]) {
				done[k] = 1;
				blocks[n] = cpu->types[k].cpuid;	/* shared */
			} else {
				p[0] = (struct hv_cpuid_leaf){ 7, 0, c->r7 };
				p[1] = (struct hv_cpuid_leaf){ 0x1a, 0, c->r1a };
				blocks[n] = (struct hv_cpuid_dump){
					.leaves = p, .n_leaves = 2, .cap = 2,
				};
			}
			blocks[n++].cpu = (int)c->cpu;
		}
		r = hv_cpuid_format_text(blocks, n, &text, &len);
	}
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		/* the live reader made a dump the format cannot hold: say so
		 * rather than leave a capture silently without CPUID */
		return hv_host_diag(host, false, cpuid_txt, 0, r,
				    "CPUID cannot be recorded for a capture: %s",
				    hv_strerror(r));
	return hv_root_record_data(root, cpuid_txt, text, len);
}

static int
probe_cpuid_live(struct hv_root *root, struct hv_host *host)
{
	struct hv_cpu *cpu = &host->cpu;
	_cleanup_free_ char *online = NULL;
	_cleanup_free_ uint8_t *bits = NULL;
	struct hv_cpuid_dump here = { 0 };
	struct cores seen = { 0 };
	struct types t = { 0 };
	int r;

	r = hv_root_read_str(root, cpu_online, &online);
	if (r == -ENOMEM)
		return r;
	if (r == 0) {
		bits = calloc(1, CPU_MAX_IDS / 8);
		if (!bits)
			return -ENOMEM;
		if (parse_id_list(online, bits, CPU_MAX_IDS) <= 0) {
			free(online);
			online = NULL;
		}
	}

	r = cpuid_read_first(online ? bits : NULL, &here);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return hv_fact_set_unknown(&cpu->cpuid, "cpuid", r);

	if (dump_hybrid(&here) && online) {
		r = read_hybrid(host, bits, &t, &seen);
		if (r == -ENOMEM) {
			types_clear(&t);
			free(seen.v);
			hv_cpuid_dump_clear(&here);
			return r;
		}
		/* types[0] is the lowest CPU's: the first one read */
		if (t.n > 0) {
			hv_cpuid_dump_clear(&here);
			r = types_finish(&t, cpu);
			if (r < 0) {
				types_clear(&t);
				free(seen.v);
				return r;
			}
			r = record_cpuid(root, host, &seen);
			free(seen.v);
			if (r < 0)
				return r;
			return hv_fact_set_ok(&cpu->cpuid, "cpuid");
		}
		types_clear(&t);
		free(seen.v);
	}
	/* not hybrid (every CPU alike), or the CPUs cannot be told apart */
	r = types_single(&here, online, cpu);
	hv_cpuid_dump_clear(&here);
	if (r < 0)
		return r;
	r = record_cpuid(root, host, NULL);
	if (r < 0)
		return r;
	return hv_fact_set_ok(&cpu->cpuid, "cpuid");
}

#else /* !HAVE_CPUID_INSN */

static int
probe_cpuid_live(struct hv_root *root _unused_, struct hv_host *host)
{
	return hv_fact_set_unknown(&host->cpu.cpuid, "cpuid", -EOPNOTSUPP);
}

#endif

/* ---- CPUID, capture --------------------------------------------------- */

static int
probe_cpuid_capture(struct hv_root *root, struct hv_host *host)
{
	struct hv_cpu *cpu = &host->cpu;
	_cleanup_free_ char *buf = NULL, *online = NULL;
	struct hv_cpuid_dump *dumps = NULL;
	struct hv_parse_error e = { 0 };
	size_t len = 0, n = 0;
	int r;

	r = hv_root_read(root, cpuid_txt, HV_READ_MAX, &buf, &len);
	if (r == -ENOMEM)
		return r;
	if (r == -EFBIG) {
		r = hv_host_diag(host, true, cpuid_txt, 0, -EFBIG,
				 "larger than %u bytes", HV_READ_MAX);
		if (r < 0)
			return r;
		return hv_fact_set_invalid(&cpu->cpuid, cpuid_txt, -EFBIG,
					   "larger than %u bytes", HV_READ_MAX);
	}
	if (r < 0)	/* absent: a capture without CPUID is not an error */
		return hv_fact_set_from_errno(&cpu->cpuid, cpuid_txt, r);

	r = hv_cpuid_parse_text(buf, len, &dumps, &n, &e);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		r = hv_host_diag(host, true, cpuid_txt, e.line, -EBADMSG, "%s",
				 e.msg);
		if (r < 0)
			return r;
		return hv_fact_set_invalid(&cpu->cpuid, cpuid_txt, -EBADMSG,
					   "line %u: %s", e.line, e.msg);
	}

	r = hv_root_read_str(root, cpu_online, &online);
	if (r == -ENOMEM) {
		hv_cpuid_dumps_free(dumps, n);
		return r;
	}
	r = types_from_dumps(dumps, n, r == 0 ? online : NULL, cpu);
	hv_cpuid_dumps_free(dumps, n);
	if (r < 0)
		return r;
	return hv_fact_set_ok(&cpu->cpuid, cpuid_txt);
}

/* ---- proc/cpuinfo ----------------------------------------------------- */

enum cpuinfo_key {
	KEY_PROCESSOR,
	KEY_MODEL_NAME,
	KEY_MICROCODE,
	KEY_FLAGS,
	KEY_VMX_FLAGS,
	KEY_PHYSICAL_ID,
};

static const struct {
	const char *name;
	enum cpuinfo_key key;
} cpuinfo_keys[] = {
	{ "processor",   KEY_PROCESSOR },
	{ "model name",  KEY_MODEL_NAME },
	{ "microcode",   KEY_MICROCODE },
	{ "flags",       KEY_FLAGS },
	{ "vmx flags",   KEY_VMX_FLAGS },
	{ "physical id", KEY_PHYSICAL_ID },
};

struct cpuinfo {
	char *model_name;
	char *microcode;
	struct hv_strv flags;
	struct hv_strv vmx_flags;
	bool have_flags, have_vmx_flags;
	unsigned processors;
	uint32_t *packages;		/* distinct physical ids */
	size_t n_packages, cap_packages;
};

static void
cpuinfo_clear(struct cpuinfo *ci)
{
	free(ci->model_name);
	free(ci->microcode);
	hv_strv_clear(&ci->flags);
	hv_strv_clear(&ci->vmx_flags);
	free(ci->packages);
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* One "key<tabs>: value" line, key and value stripped (not NUL-ended). */
static int
cpuinfo_line(struct cpuinfo *ci, const char *k, size_t kl, const char *v,
	     size_t vl, unsigned line, struct hv_parse_error *err)
{
	bool first = ci->processors <= 1;
	size_t i;

	for (i = 0; i < HV_ELEMENTSOF(cpuinfo_keys); i++)
		if (strlen(cpuinfo_keys[i].name) == kl &&
		    memcmp(cpuinfo_keys[i].name, k, kl) == 0)
			break;
	if (i == HV_ELEMENTSOF(cpuinfo_keys))
		return 0;

	switch (cpuinfo_keys[i].key) {
	case KEY_PROCESSOR:
		ci->processors++;
		return 0;
	case KEY_MODEL_NAME:
		if (!first || ci->model_name)
			return 0;
		ci->model_name = strndup(v, vl);
		return ci->model_name ? 0 : -ENOMEM;
	case KEY_MICROCODE:
		if (!first || ci->microcode)
			return 0;
		ci->microcode = strndup(v, vl);
		return ci->microcode ? 0 : -ENOMEM;
	case KEY_FLAGS:
	case KEY_VMX_FLAGS: {
		bool vmx = cpuinfo_keys[i].key == KEY_VMX_FLAGS;
		bool *have = vmx ? &ci->have_vmx_flags : &ci->have_flags;
		_cleanup_free_ char *s = NULL;
		int r;

		if (!first || *have)
			return 0;
		*have = true;
		s = strndup(v, vl);
		if (!s)
			return -ENOMEM;
		r = hv_strv_split(vmx ? &ci->vmx_flags : &ci->flags, s, " \t");
		if (r < 0)
			return r;
		hv_strv_sort(vmx ? &ci->vmx_flags : &ci->flags);
		return 0;
	}
	case KEY_PHYSICAL_ID: {
		char num[16];
		uint32_t id;

		if (vl == 0 || vl >= sizeof(num)) {
			hv_parse_error_set(err, line,
					   "\"physical id\" is not a number");
			return -EBADMSG;
		}
		memcpy(num, v, vl);
		num[vl] = '\0';
		if (hv_parse_u32(num, 10, &id) < 0) {
			hv_parse_error_set(err, line,
					   "\"physical id\" is not a number: "
					   "\"%s\"", num);
			return -EBADMSG;
		}
		for (size_t j = 0; j < ci->n_packages; j++)
			if (ci->packages[j] == id)
				return 0;
		if (ci->n_packages >= CPUINFO_MAX_PACKAGES) {
			hv_parse_error_set(err, line,
					   "more than %u distinct physical ids",
					   CPUINFO_MAX_PACKAGES);
			return -EBADMSG;
		}
		if (HV_GROW(ci->packages, ci->cap_packages,
			    ci->n_packages + 1) < 0)
			return -ENOMEM;
		ci->packages[ci->n_packages++] = id;
		return 0;
	}
	}
	return 0;
}

int
hv_cpuinfo_parse(const char *buf, size_t len, struct hv_cpu *cpu,
		 struct hv_parse_error *err)
{
	struct cpuinfo ci = { 0 };
	const char *p = buf, *end = buf + len;
	unsigned line = 0;
	int r;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *s = p, *e = nl ? nl : end, *colon, *ke, *vs;

		p = nl ? nl + 1 : end;
		line++;
		colon = memchr(s, ':', (size_t)(e - s));
		if (!colon)
			continue;	/* blank line between processors */
		ke = colon;
		while (ke > s && is_space(ke[-1]))
			ke--;
		vs = colon + 1;
		while (vs < e && is_space(*vs))
			vs++;
		while (e > vs && is_space(e[-1]))
			e--;
		r = cpuinfo_line(&ci, s, (size_t)(ke - s), vs, (size_t)(e - vs),
				 line, err);
		if (r < 0) {
			cpuinfo_clear(&ci);
			return r;
		}
	}
	if (ci.processors == 0) {
		cpuinfo_clear(&ci);
		hv_parse_error_set(err, line ? line : 1,
				   "no \"processor\" entry");
		return -EBADMSG;
	}

	free(cpu->model_name);
	free(cpu->microcode);
	hv_strv_clear(&cpu->flags);
	hv_strv_clear(&cpu->vmx_flags);
	cpu->model_name = HV_TAKE_PTR(ci.model_name);
	cpu->microcode = HV_TAKE_PTR(ci.microcode);
	cpu->flags = ci.flags;
	cpu->vmx_flags = ci.vmx_flags;
	ci.flags = (struct hv_strv){ 0 };
	ci.vmx_flags = (struct hv_strv){ 0 };
	cpu->logical_cpus = ci.processors;
	cpu->sockets = (unsigned)ci.n_packages;
	cpuinfo_clear(&ci);
	return 0;
}

static int
probe_cpuinfo(struct hv_root *root, struct hv_host *host)
{
	struct hv_cpu *cpu = &host->cpu;
	_cleanup_free_ char *buf = NULL;
	struct hv_parse_error e = { 0 };
	size_t len = 0;
	int r;

	/* 1.6 KiB per CPU: larger than HV_READ_SMALL on big hosts */
	r = hv_root_read(root, cpuinfo_path, HV_READ_MAX, &buf, &len);
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		return hv_fact_set_from_errno(&cpu->cpuinfo, cpuinfo_path, r);
	r = hv_cpuinfo_parse(buf, len, cpu, &e);
	if (r == -ENOMEM)
		return r;
	if (r < 0) {
		r = hv_host_diag(host, true, cpuinfo_path, e.line, -EBADMSG,
				 "%s", e.msg);
		if (r < 0)
			return r;
		return hv_fact_set_invalid(&cpu->cpuinfo, cpuinfo_path,
					   -EBADMSG, "line %u: %s", e.line,
					   e.msg);
	}
	return hv_fact_set_ok(&cpu->cpuinfo, cpuinfo_path);
}

/* ---- NUMA ------------------------------------------------------------- */

static bool
is_node_name(const char *s)
{
	if (!hv_startswith(s, "node") || s[4] == '\0')
		return false;
	for (s += 4; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static int
probe_numa(struct hv_root *root, struct hv_host *host)
{
	struct hv_cpu *cpu = &host->cpu;
	_cleanup_free_ char *s = NULL;
	struct hv_strv names = { 0 };
	unsigned count = 0;
	int r;

	r = hv_root_read_str(root, node_online, &s);
	if (r == 0) {
		uint8_t bits[NODE_MAX_IDS / 8] = { 0 };

		r = parse_id_list(s, bits, NODE_MAX_IDS);
		if (r < 0) {
			r = hv_host_diag(host, true, node_online, 1, -EBADMSG,
					 "not a node list: \"%.40s\"", s);
			if (r < 0)
				return r;
			return hv_fact_set_invalid(&cpu->numa, node_online,
						   -EBADMSG,
						   "line 1: not a node list");
		}
		cpu->numa_nodes = (unsigned)r;
		return hv_fact_set_ok(&cpu->numa, node_online);
	}
	if (r == -ENOMEM)
		return r;
	if (r != -ENOENT)
		return hv_fact_set_unknown(&cpu->numa, node_online, r);

	/* older kernels, or a capture without the file: count nodeN */
	r = hv_root_list(root, node_dir, &names);
	if (r == -ENOMEM)
		return r;
	if (r < 0)	/* no node directory: a kernel without NUMA */
		return hv_fact_set_from_errno(&cpu->numa, node_dir, r);
	for (size_t i = 0; i < names.n; i++)
		if (is_node_name(names.v[i]))
			count++;
	hv_strv_clear(&names);
	if (count == 0)
		return hv_fact_set_absent(&cpu->numa, node_dir);
	cpu->numa_nodes = count;
	return hv_fact_set_ok(&cpu->numa, node_dir);
}

/* ---- derived features ------------------------------------------------- */

/*
 * Flag names as the kernel prints them: "vmx flags" from
 * arch/x86/include/asm/vmxfeatures.h (kernel >= 5.8), older kernels print
 * ept and vpid in "flags" (cpufeatures.h word 8); AMD's SVM features are
 * in "flags" (cpufeatures.h word 15, CPUID 0x8000000A EDX).
 */
static const struct {
	const char *vmx_flag;	/* in "vmx flags" */
	const char *old_flag;	/* in "flags" before 5.8, or NULL */
	size_t offset;
} intel_features[] = {
	{ "ept",                "ept",  offsetof(struct hv_cpu, ept) },
	{ "vpid",               "vpid", offsetof(struct hv_cpu, vpid) },
	{ "unrestricted_guest", NULL,   offsetof(struct hv_cpu, unrestricted_guest) },
	{ "posted_intr",        NULL,   offsetof(struct hv_cpu, posted_interrupts) },
	{ "apicv",              NULL,   offsetof(struct hv_cpu, apicv) },
};

static const struct {
	const char *flag;	/* in "flags" */
	unsigned svm_edx_bit;	/* CPUID 0x8000000A EDX */
	size_t offset;
} amd_features[] = {
	{ "npt",  0,  offsetof(struct hv_cpu, npt) },
	{ "avic", 13, offsetof(struct hv_cpu, avic) },
};

static enum hv_tri *
tri_at(struct hv_cpu *cpu, size_t offset)
{
	return (enum hv_tri *)(void *)((char *)cpu + offset);
}

/*
 * From the kernel's view where there is one, CPUID otherwise; never a
 * guess: Intel's EPT, VPID, ... are in VMX capability MSRs, not in CPUID,
 * so without the kernel's view they stay unknown. Pure.
 */
static void
derive_features(struct hv_cpu *cpu)
{
	bool cpuid_ok = hv_fact_ok(&cpu->cpuid);
	bool info_ok = hv_fact_ok(&cpu->cpuinfo);
	bool k_vmx = info_ok && hv_cpu_has_flag(cpu, "vmx");
	bool k_svm = info_ok && hv_cpu_has_flag(cpu, "svm");

	if (cpuid_ok && !cpu->vmx && !cpu->svm) {
		/* no hardware virtualization at all (or a guest without
		 * nested virtualization) */
		cpu->virt_enabled = HV_TRI_NO;
		for (size_t i = 0; i < HV_ELEMENTSOF(intel_features); i++)
			*tri_at(cpu, intel_features[i].offset) = HV_TRI_NO;
		for (size_t i = 0; i < HV_ELEMENTSOF(amd_features); i++)
			*tri_at(cpu, amd_features[i].offset) = HV_TRI_NO;
		return;
	}

	/* the kernel clears VMX when firmware locked it off (IA32_FEAT_CTL) */
	cpu->virt_enabled = info_ok ? hv_tri_from_bool(k_vmx || k_svm)
				    : HV_TRI_UNKNOWN;

	for (size_t i = 0; i < HV_ELEMENTSOF(intel_features); i++) {
		enum hv_tri *t = tri_at(cpu, intel_features[i].offset);

		if (cpuid_ok && !cpu->vmx)
			*t = HV_TRI_NO;		/* not an Intel VT-x part */
		else if (!k_vmx)
			*t = HV_TRI_UNKNOWN;	/* VMX off, or no kernel view */
		else if (cpu->vmx_flags.n > 0)
			*t = hv_tri_from_bool(hv_cpu_has_vmx_flag(
				cpu, intel_features[i].vmx_flag));
		else if (intel_features[i].old_flag)
			*t = hv_tri_from_bool(hv_cpu_has_flag(
				cpu, intel_features[i].old_flag));
		else
			*t = HV_TRI_UNKNOWN;	/* kernel < 5.8 does not say */
	}

	for (size_t i = 0; i < HV_ELEMENTSOF(amd_features); i++) {
		enum hv_tri *t = tri_at(cpu, amd_features[i].offset);

		if (cpuid_ok && !cpu->svm)
			*t = HV_TRI_NO;		/* not an AMD-V part */
		else if (info_ok)
			*t = hv_tri_from_bool(hv_cpu_has_flag(
				cpu, amd_features[i].flag));
		else if (cpuid_ok && cpu->have_svm_leaf)
			*t = hv_tri_from_bool(
				(cpu->svm_leaf.edx >> amd_features[i].svm_edx_bit) & 1);
		else
			*t = HV_TRI_UNKNOWN;
	}
}

/* ---- the probe -------------------------------------------------------- */

int
hv_cpu_probe(struct hv_root *root, struct hv_host *host)
{
	struct hv_cpu *cpu = &host->cpu;
	int r;

	if (hv_root_is_live(root))
		r = probe_cpuid_live(root, host);
	else
		r = probe_cpuid_capture(root, host);
	if (r < 0)
		return r;
	if (hv_fact_ok(&cpu->cpuid))
		hv_cpuid_decode(cpu);

	r = probe_cpuinfo(root, host);
	if (r < 0)
		return r;
	r = probe_numa(root, host);
	if (r < 0)
		return r;
	derive_features(cpu);
	return 0;
}
