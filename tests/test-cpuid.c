/*
 * test-cpuid.c -- the CPU probe (src/cpu.c, src/cpuid.c): the `cpuid -r`
 * parser and the decoder against the `cpuid -f` decodings of the real dumps
 * in tests/corpus/cpuid, malformed dumps, the formatter that writes them
 * back byte for byte, proc/cpuinfo, the probe over captured roots, the live
 * path on this machine, and what the live path records for a capture.
 */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "hv-capture.h"
#include "hv-probe.h"
#include "hv-test.h"

/* tests/corpus/cpuid, or the team corpus's copy when it has one */
static char *
cpuid_corpus(const char *name)
{
	char *dir = hv_test_corpus("cpuid");
	struct stat st;
	char *p;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(dir);
		dir = hv_test_srcpath("tests/corpus/cpuid");
	}
	p = name ? hv_asprintf("%s/%s", dir, name) : strdup(dir);
	assert_non_null(p);
	free(dir);
	return p;
}

static char *
read_corpus(const char *name, size_t *ret_len)
{
	_cleanup_free_ char *path = cpuid_corpus(name);

	return hv_test_read(path, ret_len);
}

/* ---- the reference: `cpuid -f` decodings ------------------------------ */

struct ref {
	int cpu;			/* -1 for "CPU:" */
	char vendor[13];
	char brand[49];
	char hv_id[13];
	int family, model, stepping;	/* -1 until seen */
	int vmx, svm, hypervisor;	/* -1 until seen */
};

/* The value after " = " of a line whose key (stripped) is key. */
static const char *
ref_value(const char *line, const char *key)
{
	const char *p = line;
	size_t kl = strlen(key);

	while (*p == ' ')
		p++;
	if (strncmp(p, key, kl) != 0)
		return NULL;
	p += kl;
	while (*p == ' ')
		p++;
	if (*p != '=')
		return NULL;
	return p + 1 + (p[1] == ' ');
}

/* A quoted string as cpuid prints it: up to the closing quote or the
 * first escaped NUL ("KVMKVMKVM\0\0\0"). */
static void
ref_string(const char *v, char *dst, size_t n)
{
	size_t i = 0;

	assert_int_equal(*v, '"');
	for (v++; *v && *v != '"' && i + 1 < n; v++) {
		if (v[0] == '\\' && v[1] == '0')
			break;
		dst[i++] = *v;
	}
	dst[i] = '\0';
}

/* "0x19 (25)" -> 25 */
static int
ref_number(const char *v)
{
	const char *p = strchr(v, '(');
	char *end = NULL;
	long n;

	assert_non_null(p);
	n = strtol(p + 1, &end, 10);
	assert_true(end && *end == ')' && n >= 0 && n < 0x10000);
	return (int)n;
}

static int
ref_bool(const char *v)
{
	if (hv_startswith(v, "true"))
		return 1;
	assert_true(hv_startswith(v, "false"));
	return 0;
}

static size_t
parse_reference(char *text, struct ref **ret)
{
	struct ref *refs = NULL;
	size_t n = 0, cap = 0;
	char *save = NULL;

	for (char *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		struct ref *r;
		const char *v;
		int cpu;

		if (strcmp(l, "CPU:") == 0 || sscanf(l, "CPU %d:", &cpu) == 1) {
			assert_int_equal(HV_GROW(refs, cap, n + 1), 0);
			refs[n] = (struct ref){
				.cpu = strcmp(l, "CPU:") == 0 ? -1 : cpu,
				.family = -1, .model = -1, .stepping = -1,
				.vmx = -1, .svm = -1, .hypervisor = -1,
			};
			n++;
			continue;
		}
		assert_true(n > 0);
		r = &refs[n - 1];
		if ((v = ref_value(l, "vendor_id")) && !r->vendor[0])
			ref_string(v, r->vendor, sizeof(r->vendor));
		else if ((v = ref_value(l, "brand")) && !r->brand[0]) {
			ref_string(v, r->brand, sizeof(r->brand));
			hv_strstrip(r->brand);
		} else if ((v = ref_value(l, "hypervisor_id (0x40000000)")))
			ref_string(v, r->hv_id, sizeof(r->hv_id));
		else if ((v = ref_value(l, "(family synth)")) && r->family < 0)
			r->family = ref_number(v);
		else if ((v = ref_value(l, "(model synth)")) && r->model < 0)
			r->model = ref_number(v);
		else if ((v = ref_value(l, "stepping id")) && r->stepping < 0)
			r->stepping = ref_number(v);
		else if ((v = ref_value(l, "VMX: virtual machine extensions")))
			r->vmx = ref_bool(v);
		else if ((v = ref_value(l, "SVM: secure virtual machine")))
			r->svm = ref_bool(v);
		else if ((v = ref_value(l, "hypervisor guest status")))
			r->hypervisor = ref_bool(v);
	}
	*ret = refs;
	return n;
}

/* Decode one parsed block as types[0] of a CPU. */
static void
decode_block(const struct hv_cpuid_dump *d, struct hv_cpu *cpu,
	     struct hv_cpu_type *type)
{
	memset(cpu, 0, sizeof(*cpu));
	*type = (struct hv_cpu_type){ .cpuid = *d };	/* borrowed */
	cpu->types = type;
	cpu->n_types = 1;
	hv_cpuid_decode(cpu);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every NAME.cpuid-raw.txt against NAME.cpuid-decoded.txt, block by block. */
static void
test_corpus_against_cpuid_tool(void **state _unused_)
{
	_cleanup_free_ char *dir = cpuid_corpus(NULL);
	struct hv_strv names = { 0 };
	struct dirent *de;
	DIR *d = opendir(dir);
	size_t blocks = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strlen(de->d_name) > 14 &&
		    strcmp(de->d_name + strlen(de->d_name) - 14,
			   ".cpuid-raw.txt") == 0)
			assert_int_equal(hv_strv_add(&names, de->d_name), 0);
	closedir(d);
	qsort(names.v, names.n, sizeof(char *), cmp_str);
	/* the corpus has at least these six; more files, more cases */
	assert_true(names.n >= 6);

	for (size_t f = 0; f < names.n; f++) {
		_cleanup_free_ char *raw = NULL, *refname = NULL, *reftext = NULL;
		_cleanup_free_ struct ref *refs = NULL;
		struct hv_parse_error e = { 0 };
		struct hv_cpuid_dump *dumps = NULL;
		size_t len = 0, n = 0, nref;
		const char *name = names.v[f];

		refname = hv_asprintf("%.*s.cpuid-decoded.txt",
				      (int)(strlen(name) - 14), name);
		raw = read_corpus(name, &len);
		reftext = read_corpus(refname, NULL);
		nref = parse_reference(reftext, &refs);

		if (hv_cpuid_parse_text(raw, len, &dumps, &n, &e) != 0)
			fail_msg("%s: line %u: %s", name, e.line, e.msg);
		assert_int_equal(n, nref);
		for (size_t i = 0; i < n; i++) {
			const struct ref *r = &refs[i];
			struct hv_cpu_type type;
			struct hv_cpu cpu;

			print_message("%s block %zu (CPU %d)\n", name, i, r->cpu);
			assert_int_equal(dumps[i].cpu, r->cpu);
			decode_block(&dumps[i], &cpu, &type);
			assert_string_equal(cpu.vendor_id, r->vendor);
			assert_int_equal(cpu.family, r->family);
			assert_int_equal(cpu.model, r->model);
			assert_int_equal(cpu.stepping, r->stepping);
			assert_string_equal(cpu.brand, r->brand);
			assert_true(r->vmx >= 0 && r->hypervisor >= 0);
			assert_int_equal(cpu.vmx, r->vmx);
			/* cpuid decodes 0x80000001 ECX as SVM for AMD only;
			 * the bit is reserved (0) on Intel */
			assert_int_equal(cpu.svm, r->svm > 0);
			assert_int_equal(cpu.hypervisor, r->hypervisor);
			assert_string_equal(cpu.hypervisor_id, r->hv_id);
			if (strcmp(r->vendor, "GenuineIntel") == 0)
				assert_int_equal(cpu.vendor, HV_CPU_VENDOR_INTEL);
			if (strcmp(r->vendor, "AuthenticAMD") == 0)
				assert_int_equal(cpu.vendor, HV_CPU_VENDOR_AMD);
			blocks++;
		}
		hv_cpuid_dumps_free(dumps, n);
	}
	assert_true(blocks >= 15);
	hv_strv_clear(&names);
}

/* Concrete values of the server dumps that the fixtures use. */
static void
test_corpus_values(void **state _unused_)
{
	static const struct {
		const char *file;
		enum hv_cpu_vendor vendor;
		uint32_t signature, max_leaf, max_ext_leaf;
		bool vmx, svm, hypervisor, hybrid, have_svm, have_sev;
		uint32_t svm_edx, sev_eax;
		size_t n_blocks;
	} cases[] = {
		{ "intel-xeon-e5-2690-v4.cpuid-raw.txt", HV_CPU_VENDOR_INTEL,
		  0x000406f1, 0x14, 0x80000008, true, false, false, false,
		  false, false, 0, 0, 1 },
		{ "amd-epyc-7713-milan.cpuid-raw.txt", HV_CPU_VENDOR_AMD,
		  0x00a00f11, 0x10, 0x80000023, false, true, false, false,
		  true, true, 0x119b9cff, 0x0001fc3f, 2 },
		{ "amd-epyc-kvm-guest.cpuid-raw.txt", HV_CPU_VENDOR_AMD,
		  0x00a10f11, 0x1c, 0x80000021, false, false, true, false,
		  true, true, 0, 0, 2 },
		{ "intel-core-i3-1220p-hybrid.cpuid-raw.txt", HV_CPU_VENDOR_INTEL,
		  0x000906a4, 0x20, 0x80000008, true, false, false, true,
		  false, false, 0, 0, 8 },
		{ "intel-core-i7-6500u.cpuid-raw.txt", HV_CPU_VENDOR_INTEL,
		  0x000406e3, 0x16, 0x80000008, true, false, false, false,
		  false, false, 0, 0, 1 },
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(cases); i++) {
		_cleanup_free_ char *raw = NULL;
		struct hv_cpuid_dump *dumps = NULL;
		struct hv_cpu_type type;
		struct hv_cpu cpu;
		size_t len, n = 0;

		print_message("%s\n", cases[i].file);
		raw = read_corpus(cases[i].file, &len);
		assert_int_equal(hv_cpuid_parse_text(raw, len, &dumps, &n, NULL), 0);
		assert_int_equal(n, cases[i].n_blocks);
		decode_block(&dumps[0], &cpu, &type);
		assert_int_equal(cpu.vendor, cases[i].vendor);
		assert_int_equal(cpu.signature, cases[i].signature);
		assert_int_equal(cpu.max_leaf, cases[i].max_leaf);
		assert_int_equal(cpu.max_ext_leaf, cases[i].max_ext_leaf);
		assert_int_equal(cpu.vmx, cases[i].vmx);
		assert_int_equal(cpu.svm, cases[i].svm);
		assert_int_equal(cpu.hypervisor, cases[i].hypervisor);
		assert_int_equal(cpu.hybrid, cases[i].hybrid);
		assert_int_equal(cpu.have_svm_leaf, cases[i].have_svm);
		assert_int_equal(cpu.have_sev_leaf, cases[i].have_sev);
		assert_int_equal(cpu.svm_leaf.edx, cases[i].svm_edx);
		assert_int_equal(cpu.sev_leaf.eax, cases[i].sev_eax);
		hv_cpuid_dumps_free(dumps, n);
	}
}

/* ---- the parser on small inputs --------------------------------------- */

/* Lines of this machine's `cpuid -r` (tests/corpus/cpuid). */
#define L0  "   0x00000000 0x00: eax=0x0000001c ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
#define L1  "   0x00000001 0x00: eax=0x00a10f11 ebx=0x00020800 ecx=0xfffa3203 edx=0x178bfbff\n"
#define L7  "   0x00000007 0x00: eax=0x00000001 ebx=0xf1bf07ab ecx=0x00405fc6 edx=0x00000010\n"
#define L71 "   0x00000007 0x01: eax=0x00000020 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n"
#define LD0 "   0x8000001d 0x00: eax=0x00000121 ebx=0x01c0003f ecx=0x0000003f edx=0x00000000\n"
#define LD1 "   0x8000001d 0x01: eax=0x00000122 ebx=0x01c0003f ecx=0x0000003f edx=0x00000000\n"

static void
test_parse_good(void **state _unused_)
{
	struct hv_cpuid_dump *d = NULL;
	struct hv_parse_error e = { 0 };
	const struct hv_cpuid_regs *r;
	size_t n = 0;
	const char *text;

	/* a single block, out of order: sorted */
	text = "CPU:\n" L7 L1 L0 L71;
	assert_int_equal(hv_cpuid_parse_text(text, strlen(text), &d, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].cpu, -1);
	assert_int_equal(d[0].n_leaves, 4);
	assert_int_equal(d[0].leaves[0].leaf, 0);
	assert_int_equal(d[0].leaves[3].leaf, 7);
	assert_int_equal(d[0].leaves[3].subleaf, 1);
	r = hv_cpuid_get(&d[0], 7, 1);
	assert_non_null(r);
	assert_int_equal(r->eax, 0x20);
	assert_null(hv_cpuid_get(&d[0], 7, 2));
	assert_null(hv_cpuid_get(&d[0], 2, 0));
	hv_cpuid_dumps_free(d, n);

	/* CPU blocks, CRLF, blank lines, an identical repeated line */
	text = "CPU 0:\r\n" L0 "\n\n" L1 L1 "CPU 1:\r\n" L0 L1;
	assert_int_equal(hv_cpuid_parse_text(text, strlen(text), &d, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(d[0].cpu, 0);
	assert_int_equal(d[1].cpu, 1);
	assert_int_equal(d[0].n_leaves, 2);
	assert_int_equal(hv_cpuid_get(&d[1], 1, 0)->eax, 0x00a10f11);
	hv_cpuid_dumps_free(d, n);

	/* blocks as cpuid numbers them, not necessarily from 0 */
	text = "CPU 5:\n" L0 "CPU 3:\n" L0;
	assert_int_equal(hv_cpuid_parse_text(text, strlen(text), &d, &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(d[0].cpu, 5);
	assert_int_equal(d[1].cpu, 3);
	hv_cpuid_dumps_free(d, n);

	/* no header: one block, as `cpuid -f` reads it; the last line
	 * without a newline */
	text = L0 "   0x00000001 0x00: eax=0x00a10f11 ebx=0x00020800 ecx=0xfffa3203 edx=0x178bfbff";
	assert_int_equal(hv_cpuid_parse_text(text, strlen(text), &d, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].cpu, -1);
	assert_int_equal(d[0].n_leaves, 2);
	hv_cpuid_dumps_free(d, n);

	/* the pre-2011 format without subleaves: leaf 0x8000001d counts */
	text = "CPU:\n"
	       "   0x00000000: eax=0x0000001c ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
	       "   0x8000001d: eax=0x00000121 ebx=0x01c0003f ecx=0x0000003f edx=0x00000000\n"
	       "   0x8000001d: eax=0x00000122 ebx=0x01c0003f ecx=0x0000003f edx=0x00000000\n";
	assert_int_equal(hv_cpuid_parse_text(text, strlen(text), &d, &n, &e), 0);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].n_leaves, 3);
	assert_int_equal(hv_cpuid_get(&d[0], 0x8000001d, 1)->eax, 0x122);
	assert_int_equal(hv_cpuid_get(&d[0], 0x8000001d, 0)->eax, 0x121);
	hv_cpuid_dumps_free(d, n);

	/* hv_cpuid_get on nothing */
	assert_null(hv_cpuid_get(NULL, 0, 0));
	hv_cpuid_dumps_free(NULL, 0);
	hv_cpuid_dump_clear(NULL);
}

static void
test_parse_bad(void **state _unused_)
{
	static const struct {
		const char *text;
		unsigned line;
		const char *msg;
	} cases[] = {
		/* truncated lines */
		{ "CPU:\n" L0 "   0x00000001 0x00: eax=0x00a10f11 ebx=0x0002",
		  3, "bad ebx value" },
		{ "CPU:\n" L0 "   0x00000001 0x00: eax=0x00a10f11 ebx=0x00020800 ecx=0xfffa3203\n",
		  3, "register edx missing" },
		{ "CPU:\n   0x0000", 2, "leaf number" },
		{ "CPU:\n   0x00000001 0x", 2, "subleaf" },
		{ "CP", 1, "expected" },
		/* bad hex */
		{ "CPU:\n   0x00000000 0x00: eax=0x0000001g"
		  " ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n",
		  2, "bad eax value" },
		{ "CPU:\n   0x0000000z 0x00: eax=0x0000001c"
		  " ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n",
		  2, "leaf number" },
		{ "CPU:\n   0x000000001 0x00: eax=0x0000001c"
		  " ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n",
		  2, "leaf number" },
		{ "CPU:\n   0x00000000 0x00: eax=0x0000001c"
		  " ebx=0x168747541 ecx=0x444d4163 edx=0x69746e65\n",
		  2, "bad ebx value" },
		/* a register missing */
		{ "CPU:\n   0x00000000 0x00: eax=0x0000001c ecx=0x444d4163 edx=0x69746e65\n",
		  2, "register ebx missing" },
		{ "CPU:\n   0x00000000 0x00 eax=0x0000001c"
		  " ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n",
		  2, "expected ':'" },
		{ "CPU:\n   0x00000000 0x00: eax=0x0000001c"
		  " ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65 esi=0\n",
		  2, "after edx" },
		/* garbage before the first block, and between blocks */
		{ "cpuid version 20230120\nCPU:\n" L0, 1, "expected" },
		{ "CPU 0:\n" L0 "vendor_id = \"AuthenticAMD\"\n", 3, "expected" },
		{ "CPU 0:\n" L0 "CPUID 00000000: 0000001C-68747541-444D4163-69746E65\n",
		  3, "expected" },
		{ "CPU 0\n" L0, 1, "expected" },
		/* blocks that contradict each other */
		{ "CPU 0:\n" L0 "CPU 0:\n" L0, 3, "appears twice" },
		{ "CPU:\n" L0 "CPU 1:\n" L0, 3, "single-CPU" },
		{ "CPU 0:\n" L0 "CPU:\n" L0, 3, "after other CPU blocks" },
		{ L0 "CPU 1:\n" L0, 2, "single-CPU" },
		{ "CPU 0:\nCPU 1:\n" L0, 1, "no leaves" },
		{ "CPU 0:\n" L0 "CPU 1:\n", 3, "no leaves" },
		{ "CPU 0:\n" L1 L0
		  "   0x00000001 0x00: eax=0x00a10f12"
		  " ebx=0x00020800 ecx=0xfffa3203 edx=0x178bfbff\n",
		  4, "repeated with other values (first on line 2)" },
		/* absurd CPU numbers */
		{ "CPU 99999:\n" L0, 1, "CPU number 99999 out of range" },
		{ "CPU 8192:\n" L0, 1, "out of range (0-8191)" },
		{ "CPU 123456789012345678901234567890:\n" L0, 1, "out of range" },
		{ "CPU -1:\n" L0, 1, "expected" },
		/* empty */
		{ "", 1, "no CPUID leaves" },
		{ "\n\n  \n", 3, "no CPUID leaves" },
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(cases); i++) {
		struct hv_cpuid_dump *d = (void *)1;
		struct hv_parse_error e = { 0 };
		size_t n = 42;

		print_message("case %zu\n", i);
		assert_int_equal(hv_cpuid_parse_text(cases[i].text,
						     strlen(cases[i].text),
						     &d, &n, &e), -EBADMSG);
		assert_int_equal(e.line, cases[i].line);
		if (!strstr(e.msg, cases[i].msg))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, e.msg,
				 cases[i].msg);
		/* ret_* untouched on failure */
		assert_ptr_equal(d, (void *)1);
		assert_int_equal(n, 42);
	}

	/* a NUL byte inside a line */
	{
		static const char text[] = "CPU:\n   0x00000000 0x00: eax=\0x";
		struct hv_cpuid_dump *d = NULL;
		struct hv_parse_error e = { 0 };
		size_t n = 0;

		assert_int_equal(hv_cpuid_parse_text(text, sizeof(text) - 1, &d,
						     &n, &e), -EBADMSG);
		assert_int_equal(e.line, 2);
		assert_non_null(strstr(e.msg, "NUL"));
	}
}

/* An absurd number of CPUs: the block past the kernel's limit fails. */
static void
test_parse_too_many_cpus(void **state _unused_)
{
	struct hv_parse_error e = { 0 };
	struct hv_cpuid_dump *d = NULL;
	size_t cap = 8200 * 100, len = 0, n = 0;
	char *text = malloc(cap);

	assert_non_null(text);
	for (unsigned c = 0; c <= 8192; c++)
		len += (size_t)snprintf(text + len, cap - len, "CPU %u:\n" L0, c);
	assert_int_equal(hv_cpuid_parse_text(text, len, &d, &n, &e), -EBADMSG);
	assert_int_equal(e.line, 2 * 8192 + 1);
	assert_non_null(strstr(e.msg, "out of range"));

	/* 8192 blocks are fine */
	len = 0;
	for (unsigned c = 0; c < 8192; c++)
		len += (size_t)snprintf(text + len, cap - len, "CPU %u:\n" L0, c);
	assert_int_equal(hv_cpuid_parse_text(text, len, &d, &n, &e), 0);
	assert_int_equal(n, 8192);
	assert_int_equal(d[8191].cpu, 8191);
	hv_cpuid_dumps_free(d, n);

	/* too many leaves for one CPU */
	len = (size_t)snprintf(text, cap, "CPU:\n");
	for (unsigned l = 0; l <= 1024; l++)
		len += (size_t)snprintf(text + len, cap - len,
					"   0x%08x 0x00: eax=0x00000000 ebx=0x00000000 "
					"ecx=0x00000000 edx=0x00000000\n", l);
	assert_int_equal(hv_cpuid_parse_text(text, len, &d, &n, &e), -EBADMSG);
	assert_int_equal(e.line, 1026);
	assert_non_null(strstr(e.msg, "more than 1024 leaves"));
	free(text);
}

/* A real dump cut at every byte: parses exactly when what is left ends
 * with whole lines after the first leaf, else fails on the cut line (or on
 * the header, when no leaf is left); never crashes. */
static void
test_parse_truncated_everywhere(void **state _unused_)
{
	_cleanup_free_ char *raw = NULL;
	size_t len = 0, first_nl;

	raw = read_corpus("amd-epyc-kvm-guest-1cpu.cpuid-raw.txt", &len);
	first_nl = (size_t)(strchr(raw, '\n') - raw);
	for (size_t cut = 0; cut <= len; cut++) {
		struct hv_parse_error e = { 0 };
		struct hv_cpuid_dump *d = NULL;
		size_t n = 0, ls = cut;
		unsigned line = 1;
		bool blank = true, whole, have_leaf;
		int r;

		while (ls > 0 && raw[ls - 1] != '\n')
			ls--;
		for (size_t i = 0; i < ls; i++)
			line += raw[i] == '\n';
		for (size_t i = ls; i < cut; i++)
			blank = blank && raw[i] == ' ';
		whole = !blank && (cut == len || raw[cut] == '\n');
		have_leaf = ls > first_nl + 1 || (whole && ls == first_nl + 1);

		r = hv_cpuid_parse_text(raw, cut, &d, &n, &e);
		if (have_leaf && (blank || whole)) {
			if (r != 0)
				fail_msg("cut %zu: line %u: %s", cut, e.line, e.msg);
			assert_int_equal(n, 1);
			hv_cpuid_dumps_free(d, n);
		} else {
			assert_int_equal(r, -EBADMSG);
			assert_int_equal(e.line, blank || whole ? 1 : line);
		}
	}
}

/* Bytes flipped all over a real dump: errors name a line, never crash. */
static void
test_parse_corrupted(void **state _unused_)
{
	_cleanup_free_ char *raw = NULL;
	size_t len = 0;
	unsigned seed = 1;

	raw = read_corpus("amd-epyc-kvm-guest.cpuid-raw.txt", &len);
	for (unsigned round = 0; round < 2000; round++) {
		_cleanup_free_ char *copy = malloc(len);
		struct hv_parse_error e = { 0 };
		struct hv_cpuid_dump *d = NULL;
		size_t n = 0;
		int r;

		assert_non_null(copy);
		memcpy(copy, raw, len);
		for (unsigned k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % len] = (char)(seed >> 16);
		}
		r = hv_cpuid_parse_text(copy, len, &d, &n, &e);
		if (r == 0) {
			assert_true(n >= 1 && n <= 2);
			hv_cpuid_dumps_free(d, n);
		} else {
			assert_int_equal(r, -EBADMSG);
			assert_true(e.line >= 1 && e.line <= 172 + 4);
			assert_true(e.msg[0] != '\0');
		}
	}
}

/* ---- hv_cpuid_decode on its own ---------------------------------------- */

static void
test_decode_edges(void **state _unused_)
{
	struct hv_cpuid_dump *d = NULL;
	struct hv_cpu_type type;
	struct hv_cpu cpu = { 0 };
	size_t n = 0;
	const char *text;

	/* nothing to decode: everything stays unknown */
	cpu.vendor = HV_CPU_VENDOR_AMD;
	cpu.vmx = true;
	hv_cpuid_decode(&cpu);
	assert_int_equal(cpu.vendor, HV_CPU_VENDOR_UNKNOWN);
	assert_false(cpu.vmx);
	assert_string_equal(cpu.vendor_id, "");

	/* leaf 0 and 1 only: no extended leaves, no brand */
	text = "CPU:\n" L0 L1;
	assert_int_equal(hv_cpuid_parse_text(text, strlen(text), &d, &n, NULL), 0);
	decode_block(&d[0], &cpu, &type);
	assert_string_equal(cpu.vendor_id, "AuthenticAMD");
	assert_int_equal(cpu.family, 25);
	assert_int_equal(cpu.model, 17);
	assert_int_equal(cpu.max_ext_leaf, 0);
	assert_string_equal(cpu.brand, "");
	assert_true(cpu.hypervisor);
	/* the hypervisor bit without leaf 0x40000000: no id */
	assert_string_equal(cpu.hypervisor_id, "");
	hv_cpuid_dumps_free(d, n);

	/* a vendor string with control bytes and a NUL is made printable */
	text = "CPU:\n   0x00000000 0x00: eax=0x00000001"
	       " ebx=0x0a41410d ecx=0x00000042 edx=0x41414141\n";
	assert_int_equal(hv_cpuid_parse_text(text, strlen(text), &d, &n, NULL), 0);
	decode_block(&d[0], &cpu, &type);
	assert_string_equal(cpu.vendor_id, "?AA?AAAAB");
	assert_int_equal(cpu.vendor, HV_CPU_VENDOR_OTHER);
	hv_cpuid_dumps_free(d, n);

	/* family 5 (no extended family or model): as the SDM computes */
	text = "CPU:\n   0x00000000 0x00: eax=0x00000001"
	       " ebx=0x756e6547 ecx=0x6c65746e edx=0x49656e69\n"
	       "   0x00000001 0x00: eax=0x000f0543 ebx=0x00000000 ecx=0x00000000 edx=0x00000000\n";
	assert_int_equal(hv_cpuid_parse_text(text, strlen(text), &d, &n, NULL), 0);
	decode_block(&d[0], &cpu, &type);
	assert_int_equal(cpu.vendor, HV_CPU_VENDOR_INTEL);
	assert_int_equal(cpu.family, 5);
	assert_int_equal(cpu.model, 4);
	assert_int_equal(cpu.stepping, 3);
	hv_cpuid_dumps_free(d, n);
}

/* ---- proc/cpuinfo ----------------------------------------------------- */

static bool
sorted(const struct hv_strv *sv)
{
	for (size_t i = 1; i < sv->n; i++)
		if (strcmp(sv->v[i - 1], sv->v[i]) > 0)
			return false;
	return true;
}

static void
cpu_free_cpuinfo(struct hv_cpu *cpu)
{
	free(cpu->model_name);
	free(cpu->microcode);
	hv_strv_clear(&cpu->flags);
	hv_strv_clear(&cpu->vmx_flags);
	memset(cpu, 0, sizeof(*cpu));
}

static void
test_cpuinfo_real(void **state _unused_)
{
	static const struct {
		const char *file;
		const char *model, *microcode;
		unsigned logical, sockets;
		size_t n_flags, n_vmx;
		const char *has[6], *lacks[3], *vmx_has[4], *vmx_lacks[3];
	} cases[] = {
		{ "amd-epyc-kvm-guest.cpuinfo", "AMD EPYC", "0x1000065", 2, 1,
		  105, 0, { "hypervisor", "x2apic", "avx512f", "3dnowprefetch",
			    "xtopology" },
		  { "svm", "vmx", "npt" }, { NULL }, { NULL } },
		{ "amd-epyc-7281.cpuinfo", "AMD EPYC 7281 16-Core Processor",
		  "0x800126c", 16, 1, 115, 0,
		  { "svm", "npt", "avic", "sev", "sev_es", "sme" },
		  { "vmx", "hypervisor", "sev_snp" }, { NULL }, { NULL } },
		{ "intel-core-i7-8650u-excerpt.cpuinfo",
		  "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz", "0xd6", 2, 1,
		  119, 18, { "vmx", "ept", "vpid", "flexpriority" },
		  { "svm", "hypervisor", NULL },
		  { "ept", "vpid", "unrestricted_guest", "pml" },
		  { "posted_intr", "apicv", NULL } },
		{ "intel-core-i7-8650u-linux-pre5.8.cpuinfo",
		  "Intel(R) Core(TM) i7-8650U CPU @ 1.90GHz", "0xb4", 8, 1,
		  120, 0, { "vmx", "ept", "vpid", "ept_ad", "tpr_shadow" },
		  { "svm", "hypervisor", NULL }, { NULL }, { NULL } },
	};

	for (size_t i = 0; i < HV_ELEMENTSOF(cases); i++) {
		_cleanup_free_ char *text = NULL;
		struct hv_parse_error e = { 0 };
		struct hv_cpu cpu = { 0 };
		size_t len = 0;

		print_message("%s\n", cases[i].file);
		text = read_corpus(cases[i].file, &len);
		assert_int_equal(hv_cpuinfo_parse(text, len, &cpu, &e), 0);
		assert_string_equal(cpu.model_name, cases[i].model);
		assert_string_equal(cpu.microcode, cases[i].microcode);
		assert_int_equal(cpu.logical_cpus, cases[i].logical);
		assert_int_equal(cpu.sockets, cases[i].sockets);
		assert_int_equal(cpu.flags.n, cases[i].n_flags);
		assert_int_equal(cpu.vmx_flags.n, cases[i].n_vmx);
		assert_true(sorted(&cpu.flags));
		assert_true(sorted(&cpu.vmx_flags));
		assert_string_equal(cpu.flags.v[0], "3dnowprefetch");
		for (size_t k = 0; k < 6 && cases[i].has[k]; k++)
			assert_true(hv_cpu_has_flag(&cpu, cases[i].has[k]));
		for (size_t k = 0; k < 3 && cases[i].lacks[k]; k++)
			assert_false(hv_cpu_has_flag(&cpu, cases[i].lacks[k]));
		for (size_t k = 0; k < 4 && cases[i].vmx_has[k]; k++)
			assert_true(hv_cpu_has_vmx_flag(&cpu, cases[i].vmx_has[k]));
		for (size_t k = 0; k < 3 && cases[i].vmx_lacks[k]; k++)
			assert_false(hv_cpu_has_vmx_flag(&cpu, cases[i].vmx_lacks[k]));
		cpu_free_cpuinfo(&cpu);
	}
}

static void
test_cpuinfo_format(void **state _unused_)
{
	struct hv_parse_error e = { 0 };
	struct hv_cpu cpu = { 0 };
	const char *t;

	/* format only (no hardware claims): two packages, the first
	 * processor's fields win, lines without ':' are skipped */
	t = "processor\t: 0\nmodel name\t: A\nphysical id\t: 0\nflags\t\t: b a\n\n"
	    "processor\t: 1\nmodel name\t: B\nphysical id\t: 3\nflags\t\t: c\n"
	    "garbage line\n\nprocessor\t: 2\nphysical id\t: 3\n";
	assert_int_equal(hv_cpuinfo_parse(t, strlen(t), &cpu, &e), 0);
	assert_int_equal(cpu.logical_cpus, 3);
	assert_int_equal(cpu.sockets, 2);
	assert_string_equal(cpu.model_name, "A");
	assert_null(cpu.microcode);
	assert_int_equal(cpu.flags.n, 2);
	assert_string_equal(cpu.flags.v[0], "a");
	assert_string_equal(cpu.flags.v[1], "b");

	/* a second parse replaces the first; no physical id: 0 sockets */
	t = "processor\t: 0\nflags\t\t:\n";
	assert_int_equal(hv_cpuinfo_parse(t, strlen(t), &cpu, &e), 0);
	assert_int_equal(cpu.logical_cpus, 1);
	assert_int_equal(cpu.sockets, 0);
	assert_null(cpu.model_name);
	assert_int_equal(cpu.flags.n, 0);

	/* malformed: the fields are left as they were */
	t = "processor\t: 0\nphysical id\t: zero\n";
	assert_int_equal(hv_cpuinfo_parse(t, strlen(t), &cpu, &e), -EBADMSG);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "physical id"));
	assert_int_equal(cpu.logical_cpus, 1);
	t = "processor\t: 0\nphysical id\t: 123456789012345678\n";
	assert_int_equal(hv_cpuinfo_parse(t, strlen(t), &cpu, &e), -EBADMSG);
	assert_int_equal(e.line, 2);
	t = "vendor_id\t: GenuineIntel\nflags\t\t: fpu\n";
	assert_int_equal(hv_cpuinfo_parse(t, strlen(t), &cpu, &e), -EBADMSG);
	assert_non_null(strstr(e.msg, "no \"processor\""));
	assert_int_equal(hv_cpuinfo_parse("", 0, &cpu, &e), -EBADMSG);
	assert_int_equal(e.line, 1);
	cpu_free_cpuinfo(&cpu);

	/* a truncated real file: every prefix parses or says why */
	{
		_cleanup_free_ char *text = NULL;
		size_t len = 0;

		text = read_corpus("intel-core-i7-8650u-excerpt.cpuinfo", &len);
		for (size_t cut = 0; cut <= len; cut += 7) {
			int r = hv_cpuinfo_parse(text, cut, &cpu, &e);
			const char *ls = text + cut;

			while (ls > text && ls[-1] != '\n')
				ls--;
			if (cut < 11) {
				assert_int_equal(r, -EBADMSG);
				continue;
			}
			if (r != 0) {
				/* cut right after "physical id:" */
				assert_int_equal(r, -EBADMSG);
				assert_true(hv_startswith(ls, "physical id"));
				assert_non_null(strstr(e.msg, "physical id"));
				continue;
			}
			assert_true(cpu.logical_cpus >= 1 && cpu.logical_cpus <= 2);
		}
		cpu_free_cpuinfo(&cpu);
	}
}

/* ---- the probe over captured roots ------------------------------------ */

/* Append "F PATH", the corpus file's lines, "." to a manifest. */
static void
manifest_add_file(char **m, const char *path, const char *corpus_name)
{
	_cleanup_free_ char *text = read_corpus(corpus_name, NULL);
	char *n;

	assert_null(strstr(text, "\n."));	/* nothing to escape */
	n = hv_asprintf("%sF %s\n%s%s.\n", *m, path, text,
			text[0] && text[strlen(text) - 1] != '\n' ? "\n" : "");
	assert_non_null(n);
	free(*m);
	*m = n;
}

struct probed {
	char *dir;
	struct hv_root *root;
	struct hv_host *host;
};

/* Materialize manifest (plus corpus files "path=name" pairs), probe it. */
static void
probe_root(struct probed *p, const char *manifest, const char *const *files)
{
	char *m = strdup(manifest);

	assert_non_null(m);
	for (size_t i = 0; files && files[i]; i += 2)
		manifest_add_file(&m, files[i], files[i + 1]);
	p->dir = hv_test_root_from_text(m);
	free(m);
	assert_int_equal(hv_root_open(p->dir, &p->root), 0);
	assert_false(hv_root_is_live(p->root));
	p->host = hv_host_new();
	assert_non_null(p->host);
	assert_int_equal(hv_cpu_probe(p->root, p->host), 0);
}

static void
probed_free(struct probed *p)
{
	hv_host_free(p->host);
	hv_root_free(p->root);
	hv_test_rmtree(p->dir);
}

static void
test_probe_kvm_guest(void **state _unused_)
{
	static const char *const files[] = {
		"hwvirt/cpuid.txt", "amd-epyc-kvm-guest.cpuid-raw.txt",
		"proc/cpuinfo", "amd-epyc-kvm-guest.cpuinfo",
		NULL,
	};
	struct probed p;
	struct hv_cpu *cpu;

	probe_root(&p, "f sys/devices/system/cpu/online 0-1\n"
		       "f sys/devices/system/node/online 0\n"
		       "d sys/devices/system/node/node0\n", files);
	cpu = &p.host->cpu;
	assert_int_equal(cpu->cpuid.state, HV_FACT_OK);
	assert_string_equal(cpu->cpuid.source, "hwvirt/cpuid.txt");
	assert_int_equal(cpu->n_types, 1);
	assert_string_equal(cpu->types[0].cpus, "0-1");
	assert_int_equal(cpu->types[0].core_type, 0);
	assert_int_equal(cpu->types[0].cpuid.cpu, 0);
	assert_int_equal(cpu->vendor, HV_CPU_VENDOR_AMD);
	assert_string_equal(cpu->vendor_id, "AuthenticAMD");
	assert_string_equal(cpu->brand, "AMD EPYC");
	assert_int_equal(cpu->signature, 0x00a10f11);
	assert_true(cpu->hypervisor);
	assert_string_equal(cpu->hypervisor_id, "KVMKVMKVM");
	assert_false(cpu->vmx);
	assert_false(cpu->svm);

	assert_int_equal(cpu->cpuinfo.state, HV_FACT_OK);
	assert_string_equal(cpu->cpuinfo.source, "proc/cpuinfo");
	assert_int_equal(cpu->logical_cpus, 2);
	assert_int_equal(cpu->sockets, 1);
	assert_int_equal(cpu->numa.state, HV_FACT_OK);
	assert_string_equal(cpu->numa.source, "sys/devices/system/node/online");
	assert_int_equal(cpu->numa_nodes, 1);

	/* no VMX or SVM in CPUID: every feature is a plain no */
	assert_int_equal(cpu->virt_enabled, HV_TRI_NO);
	assert_int_equal(cpu->ept, HV_TRI_NO);
	assert_int_equal(cpu->vpid, HV_TRI_NO);
	assert_int_equal(cpu->unrestricted_guest, HV_TRI_NO);
	assert_int_equal(cpu->posted_interrupts, HV_TRI_NO);
	assert_int_equal(cpu->apicv, HV_TRI_NO);
	assert_int_equal(cpu->npt, HV_TRI_NO);
	assert_int_equal(cpu->avic, HV_TRI_NO);
	assert_int_equal(p.host->n_diags, 0);
	probed_free(&p);
}

static void
test_probe_hybrid(void **state _unused_)
{
	static const char *const files[] = {
		"hwvirt/cpuid.txt", "intel-core-i3-1220p-hybrid.cpuid-raw.txt",
		NULL,
	};
	struct probed p;
	struct hv_cpu *cpu;

	probe_root(&p, "f sys/devices/system/cpu/online 0-7\n", files);
	cpu = &p.host->cpu;
	assert_int_equal(cpu->cpuid.state, HV_FACT_OK);
	assert_int_equal(cpu->n_types, 2);
	/* P-cores (Core, 0x40) on CPUs 0-3, E-cores (Atom, 0x20) on 4-7 */
	assert_string_equal(cpu->types[0].cpus, "0-3");
	assert_int_equal(cpu->types[0].core_type, 0x40);
	assert_int_equal(cpu->types[0].cpuid.cpu, 0);
	assert_string_equal(cpu->types[1].cpus, "4-7");
	assert_int_equal(cpu->types[1].core_type, 0x20);
	assert_int_equal(cpu->types[1].cpuid.cpu, 4);
	/* each type has its own caches: L1I is 32 KiB on P, 64 KiB on E */
	assert_int_equal(hv_cpuid_get(&cpu->types[0].cpuid, 4, 1)->ecx, 0x3f);
	assert_int_equal(hv_cpuid_get(&cpu->types[1].cpuid, 4, 1)->ecx, 0x7f);
	assert_true(cpu->hybrid);
	assert_true(cpu->vmx);
	assert_string_equal(cpu->brand, "12th Gen Intel(R) Core(TM) i3-1220P");
	assert_int_equal(cpu->family, 6);
	assert_int_equal(cpu->model, 0x9a);
	/* no proc/cpuinfo: the kernel's view is absent, EPT is not in
	 * CPUID, so none of it is guessed */
	assert_int_equal(cpu->cpuinfo.state, HV_FACT_ABSENT);
	assert_int_equal(cpu->virt_enabled, HV_TRI_UNKNOWN);
	assert_int_equal(cpu->ept, HV_TRI_UNKNOWN);
	assert_int_equal(cpu->vpid, HV_TRI_UNKNOWN);
	assert_int_equal(cpu->apicv, HV_TRI_UNKNOWN);
	assert_int_equal(cpu->npt, HV_TRI_NO);
	assert_int_equal(cpu->avic, HV_TRI_NO);
	/* no node directory: a kernel without NUMA */
	assert_int_equal(cpu->numa.state, HV_FACT_ABSENT);
	assert_string_equal(cpu->numa.source, "sys/devices/system/node");
	probed_free(&p);
}

static void
test_probe_amd_server(void **state _unused_)
{
	static const char *const cpuid_only[] = {
		"hwvirt/cpuid.txt", "amd-epyc-7713-milan.cpuid-raw.txt", NULL,
	};
	static const char *const cpuinfo_only[] = {
		"proc/cpuinfo", "amd-epyc-7281.cpuinfo", NULL,
	};
	struct probed p;
	struct hv_cpu *cpu;

	/* CPUID only: NPT and AVIC from 0x8000000A EDX (bits 0 and 13) */
	probe_root(&p, "d sys/devices/system/node/node0\n"
		       "d sys/devices/system/node/node1\n"
		       "f sys/devices/system/node/possible 0-1\n", cpuid_only);
	cpu = &p.host->cpu;
	assert_int_equal(cpu->n_types, 1);
	assert_string_equal(cpu->types[0].cpus, "0-1");
	assert_true(cpu->svm);
	assert_true(cpu->have_sev_leaf);
	assert_int_equal(cpu->sev_leaf.eax, 0x0001fc3f);
	assert_string_equal(cpu->brand, "AMD EPYC 7713 64-Core Processor");
	assert_int_equal(cpu->npt, HV_TRI_YES);
	assert_int_equal(cpu->avic, HV_TRI_NO);	/* EDX 0x119b9cff */
	assert_int_equal(cpu->ept, HV_TRI_NO);
	assert_int_equal(cpu->virt_enabled, HV_TRI_UNKNOWN);
	/* node/online absent: the nodeN directories are counted */
	assert_int_equal(cpu->numa.state, HV_FACT_OK);
	assert_string_equal(cpu->numa.source, "sys/devices/system/node");
	assert_int_equal(cpu->numa_nodes, 2);
	probed_free(&p);

	/* the kernel's view only: svm, npt, avic in its flags */
	probe_root(&p, "f sys/devices/system/node/online 0\n", cpuinfo_only);
	cpu = &p.host->cpu;
	assert_int_equal(cpu->cpuid.state, HV_FACT_ABSENT);
	assert_string_equal(cpu->cpuid.source, "hwvirt/cpuid.txt");
	assert_int_equal(cpu->n_types, 0);
	assert_int_equal(cpu->vendor, HV_CPU_VENDOR_UNKNOWN);
	assert_int_equal(cpu->logical_cpus, 16);
	assert_int_equal(cpu->virt_enabled, HV_TRI_YES);
	assert_int_equal(cpu->npt, HV_TRI_YES);
	assert_int_equal(cpu->avic, HV_TRI_YES);
	assert_int_equal(cpu->ept, HV_TRI_UNKNOWN);
	assert_int_equal(p.host->n_diags, 0);
	probed_free(&p);
}

static void
test_probe_intel_kernel_views(void **state _unused_)
{
	static const char *const new_kernel[] = {
		"proc/cpuinfo", "intel-core-i7-8650u-excerpt.cpuinfo", NULL,
	};
	static const char *const old_kernel[] = {
		"proc/cpuinfo", "intel-core-i7-8650u-linux-pre5.8.cpuinfo", NULL,
	};
	/* A CPUID with VMX against a kernel view without it (the guest's
	 * cpuinfo stands in for a kernel that cleared VMX, as it does when
	 * firmware locked VMX off): enabled no, the rest not known. */
	static const char *const vmx_off[] = {
		"hwvirt/cpuid.txt", "intel-xeon-e5-2690-v4.cpuid-raw.txt",
		"proc/cpuinfo", "amd-epyc-kvm-guest.cpuinfo", NULL,
	};
	struct probed p;
	struct hv_cpu *cpu;

	probe_root(&p, "", new_kernel);
	cpu = &p.host->cpu;
	assert_int_equal(cpu->virt_enabled, HV_TRI_YES);
	assert_int_equal(cpu->ept, HV_TRI_YES);
	assert_int_equal(cpu->vpid, HV_TRI_YES);
	assert_int_equal(cpu->unrestricted_guest, HV_TRI_YES);
	assert_int_equal(cpu->posted_interrupts, HV_TRI_NO);
	assert_int_equal(cpu->apicv, HV_TRI_NO);
	assert_int_equal(cpu->npt, HV_TRI_NO);
	assert_int_equal(cpu->avic, HV_TRI_NO);
	probed_free(&p);

	/* before 5.8: ept and vpid in "flags", the rest not printed */
	probe_root(&p, "", old_kernel);
	cpu = &p.host->cpu;
	assert_int_equal(cpu->logical_cpus, 8);
	assert_int_equal(cpu->vmx_flags.n, 0);
	assert_int_equal(cpu->virt_enabled, HV_TRI_YES);
	assert_int_equal(cpu->ept, HV_TRI_YES);
	assert_int_equal(cpu->vpid, HV_TRI_YES);
	assert_int_equal(cpu->unrestricted_guest, HV_TRI_UNKNOWN);
	assert_int_equal(cpu->posted_interrupts, HV_TRI_UNKNOWN);
	assert_int_equal(cpu->apicv, HV_TRI_UNKNOWN);
	probed_free(&p);

	probe_root(&p, "", vmx_off);
	cpu = &p.host->cpu;
	assert_true(cpu->vmx);
	assert_false(cpu->svm);
	/* a "CPU:" dump without sys/devices/system/cpu/online */
	assert_int_equal(cpu->n_types, 1);
	assert_null(cpu->types[0].cpus);
	assert_int_equal(cpu->types[0].cpuid.cpu, -1);
	assert_int_equal(cpu->virt_enabled, HV_TRI_NO);
	assert_int_equal(cpu->ept, HV_TRI_UNKNOWN);
	assert_int_equal(cpu->vpid, HV_TRI_UNKNOWN);
	assert_int_equal(cpu->npt, HV_TRI_NO);
	probed_free(&p);
}

static void
test_probe_broken_inputs(void **state _unused_)
{
	struct probed p;
	struct hv_cpu *cpu;

	/* a broken cpuid.txt: INVALID, a diagnostic naming file and line;
	 * the rest of the probe still runs */
	probe_root(&p,
		   "F hwvirt/cpuid.txt\n"
		   "CPU 0:\n" L0 L1
		   "   0x00000007 0x00: eax=0x00000001 ebx=0xf1bf07ab ecx=0x00405fc6\n"
		   ".\n"
		   "f proc/cpuinfo processor\t: 0\n"
		   "f sys/devices/system/node/online 0-x\n", NULL);
	cpu = &p.host->cpu;
	assert_int_equal(cpu->cpuid.state, HV_FACT_INVALID);
	assert_int_equal(cpu->cpuid.err, -EBADMSG);
	assert_string_equal(cpu->cpuid.source, "hwvirt/cpuid.txt");
	assert_non_null(strstr(cpu->cpuid.msg, "line 4: register edx missing"));
	assert_int_equal(cpu->n_types, 0);
	assert_int_equal(cpu->vendor, HV_CPU_VENDOR_UNKNOWN);
	assert_int_equal(p.host->n_diags, 2);
	assert_true(p.host->diags[0].bad_input);
	assert_string_equal(p.host->diags[0].path, "hwvirt/cpuid.txt");
	assert_int_equal(p.host->diags[0].line, 4);
	assert_int_equal(p.host->diags[0].err, -EBADMSG);
	assert_non_null(strstr(p.host->diags[0].msg, "edx"));
	assert_int_equal(cpu->cpuinfo.state, HV_FACT_OK);
	assert_int_equal(cpu->logical_cpus, 1);
	/* and a malformed node list */
	assert_int_equal(cpu->numa.state, HV_FACT_INVALID);
	assert_string_equal(p.host->diags[1].path,
			    "sys/devices/system/node/online");
	assert_int_equal(p.host->diags[1].line, 1);
	assert_true(p.host->diags[1].bad_input);
	/* a kernel view without vmx/svm and no CPUID: disabled as far
	 * as the kernel says, the rest unknown */
	assert_int_equal(cpu->virt_enabled, HV_TRI_NO);
	assert_int_equal(cpu->ept, HV_TRI_UNKNOWN);
	assert_int_equal(cpu->npt, HV_TRI_NO);
	probed_free(&p);

	/* a cpuinfo without any processor, an empty cpuid.txt, and a
	 * directory where cpuinfo should be read */
	probe_root(&p,
		   "f hwvirt/cpuid.txt\n"
		   "F proc/cpuinfo\n"
		   "vendor_id\t: GenuineIntel\n"
		   "flags\t\t: fpu vmx\n"
		   ".\n"
		   "d sys/devices/system/node\n", NULL);
	cpu = &p.host->cpu;
	assert_int_equal(cpu->cpuid.state, HV_FACT_INVALID);
	assert_int_equal(cpu->cpuinfo.state, HV_FACT_INVALID);
	assert_string_equal(cpu->cpuinfo.source, "proc/cpuinfo");
	assert_int_equal(p.host->n_diags, 2);
	assert_string_equal(p.host->diags[1].path, "proc/cpuinfo");
	assert_int_equal(p.host->diags[1].line, 2);
	assert_int_equal(cpu->numa.state, HV_FACT_ABSENT);
	assert_int_equal(cpu->virt_enabled, HV_TRI_UNKNOWN);
	probed_free(&p);

	probe_root(&p, "d proc/cpuinfo\nd hwvirt/cpuid.txt\n", NULL);
	cpu = &p.host->cpu;
	assert_int_equal(cpu->cpuinfo.state, HV_FACT_UNKNOWN);
	assert_int_equal(cpu->cpuinfo.err, -EISDIR);
	assert_int_equal(cpu->cpuid.state, HV_FACT_UNKNOWN);
	assert_int_equal(p.host->n_diags, 0);
	probed_free(&p);
}

/* ---- live ------------------------------------------------------------- */

#if defined(__x86_64__) || defined(__i386__)
static void
regs_string(char *dst, const unsigned *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		memcpy(dst + 4 * i, &r[i], 4);
	dst[4 * n] = '\0';
}
#endif

static void
test_probe_live(void **state _unused_)
{
#if defined(__x86_64__) || defined(__i386__)
	struct hv_root *root = NULL;
	struct hv_host *host = hv_host_new();
	_cleanup_free_ char *online = NULL;
	unsigned a = 0, b = 0, c = 0, d = 0, v[3];
	char vendor[13], hvid[13];
	struct hv_cpu *cpu;
	FILE *f;

	assert_non_null(host);
	assert_int_equal(hv_root_open("/", &root), 0);
	assert_true(hv_root_is_live(root));
	assert_int_equal(hv_cpu_probe(root, host), 0);
	cpu = &host->cpu;

	/* what the instruction says here */
	assert_true(__get_cpuid(0, &a, &b, &c, &d));
	v[0] = b;
	v[1] = d;
	v[2] = c;
	regs_string(vendor, v, 3);
	assert_int_equal(cpu->cpuid.state, HV_FACT_OK);
	assert_string_equal(cpu->cpuid.source, "cpuid");
	assert_string_equal(cpu->vendor_id, vendor);
	assert_int_equal(cpu->max_leaf, a);
	assert_true(__get_cpuid(1, &a, &b, &c, &d));
	assert_int_equal(cpu->signature, a);
	assert_int_equal(cpu->vmx, (c >> 5) & 1);
	assert_int_equal(cpu->hypervisor, (c >> 31) & 1);
	if (cpu->hypervisor) {
		__cpuid(0x40000000, a, b, c, d);
		v[0] = b;
		v[1] = c;
		v[2] = d;
		regs_string(hvid, v, 3);
		assert_string_equal(cpu->hypervisor_id, hvid);
	}
	assert_int_equal(__get_cpuid_max(0x80000000, NULL), cpu->max_ext_leaf);
	if (__get_cpuid(0x80000001, &a, &b, &c, &d))
		assert_int_equal(cpu->svm, (c >> 2) & 1);
	print_message("live: %s \"%s\" family %u model %u, hypervisor \"%s\", "
		      "%zu type(s), %zu leaves\n", cpu->vendor_id, cpu->brand,
		      cpu->family, cpu->model, cpu->hypervisor_id,
		      cpu->n_types, cpu->types[0].cpuid.n_leaves);

	/* the leaves are sorted and walk the subleaves they have */
	assert_true(cpu->n_types >= 1);
	for (size_t i = 1; i < cpu->types[0].cpuid.n_leaves; i++) {
		const struct hv_cpuid_leaf *l = cpu->types[0].cpuid.leaves;

		assert_true(l[i - 1].leaf < l[i].leaf ||
			    (l[i - 1].leaf == l[i].leaf &&
			     l[i - 1].subleaf < l[i].subleaf));
	}
	if (cpu->max_leaf >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		for (unsigned s = 0; s <= HV_MIN(a, 63u); s++)
			assert_non_null(hv_cpuid_get(&cpu->types[0].cpuid, 7, s));
		assert_null(hv_cpuid_get(&cpu->types[0].cpuid, 7,
					 HV_MIN(a, 63u) + 1));
	}
	if (cpu->max_leaf >= 0xd)
		assert_non_null(hv_cpuid_get(&cpu->types[0].cpuid, 0xd, 1));
	if (cpu->max_ext_leaf >= 0x8000001d && cpu->vendor == HV_CPU_VENDOR_AMD) {
		unsigned s = 0;

		do
			__cpuid_count(0x8000001d, s, a, b, c, d);
		while ((a & 0x1f) && ++s < 64);
		assert_non_null(hv_cpuid_get(&cpu->types[0].cpuid, 0x8000001d,
					     s ? s - 1 : 0));
		assert_null(hv_cpuid_get(&cpu->types[0].cpuid, 0x8000001d,
					 s ? s : 1));
	}

	/* the kernel's view of this machine */
	assert_int_equal(cpu->cpuinfo.state, HV_FACT_OK);
	assert_int_equal(cpu->logical_cpus, sysconf(_SC_NPROCESSORS_ONLN));
	if (!cpu->hybrid) {
		char line[256] = "";

		f = fopen("/sys/devices/system/cpu/online", "r");
		assert_non_null(f);
		assert_non_null(fgets(line, sizeof(line), f));
		fclose(f);
		line[strcspn(line, "\n")] = '\0';
		assert_int_equal(cpu->n_types, 1);
		assert_string_equal(cpu->types[0].cpus, line);
	}
	if (!cpu->vmx && !cpu->svm) {
		assert_int_equal(cpu->virt_enabled, HV_TRI_NO);
		assert_int_equal(cpu->ept, HV_TRI_NO);
		assert_int_equal(cpu->npt, HV_TRI_NO);
	} else {
		assert_int_equal(cpu->virt_enabled,
				 hv_tri_from_bool(hv_cpu_has_flag(cpu, "vmx") ||
						  hv_cpu_has_flag(cpu, "svm")));
	}
	/* this machine, the KVM guest the corpus describes */
	if (strcmp(cpu->hypervisor_id, "KVMKVMKVM") == 0 &&
	    cpu->vendor == HV_CPU_VENDOR_AMD && !cpu->svm) {
		assert_string_equal(cpu->vendor_id, "AuthenticAMD");
		assert_int_equal(cpu->family, 25);
		assert_false(cpu->vmx);
		assert_int_equal(cpu->npt, HV_TRI_NO);
		assert_int_equal(cpu->avic, HV_TRI_NO);
	}
	hv_host_free(host);

	/* the live "/" read as a capture: no hwvirt/cpuid.txt there */
	host = hv_host_new();
	assert_non_null(host);
	hv_root_set_not_live(root);
	assert_int_equal(hv_cpu_probe(root, host), 0);
	assert_int_equal(host->cpu.cpuid.state, HV_FACT_ABSENT);
	assert_int_equal(host->cpu.n_types, 0);
	assert_int_equal(host->cpu.cpuinfo.state, HV_FACT_OK);
	hv_host_free(host);
	hv_root_free(root);
#else
	skip();
#endif
}

/* ---- the formatter ----------------------------------------------------- */

/* The corpus's `cpuid -r` files, sorted. */
static void
raw_names(struct hv_strv *names)
{
	_cleanup_free_ char *dir = cpuid_corpus(NULL);
	struct dirent *de;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((de = readdir(d)))
		if (strlen(de->d_name) > 14 &&
		    strcmp(de->d_name + strlen(de->d_name) - 14,
			   ".cpuid-raw.txt") == 0)
			assert_int_equal(hv_strv_add(names, de->d_name), 0);
	closedir(d);
	qsort(names->v, names->n, sizeof(char *), cmp_str);
}

static void
assert_dumps_equal(const struct hv_cpuid_dump *a, const struct hv_cpuid_dump *b)
{
	assert_int_equal(a->cpu, b->cpu);
	assert_int_equal(a->n_leaves, b->n_leaves);
	for (size_t j = 0; j < a->n_leaves; j++) {
		assert_int_equal(a->leaves[j].leaf, b->leaves[j].leaf);
		assert_int_equal(a->leaves[j].subleaf, b->leaves[j].subleaf);
		assert_memory_equal(&a->leaves[j].r, &b->leaves[j].r,
				    sizeof(a->leaves[j].r));
	}
}

/*
 * Every dump of the corpus, parsed and formatted, is the same bytes as the
 * file (`cpuid -r` output, or converted to exactly its notation), and the
 * text formatted parses back to the same dumps.
 */
static void
test_format_corpus_round_trip(void **state _unused_)
{
	struct hv_strv names = { 0 };
	size_t blocks = 0;

	raw_names(&names);
	assert_true(names.n >= 6);
	for (size_t f = 0; f < names.n; f++) {
		_cleanup_free_ char *raw = NULL, *text = NULL;
		struct hv_cpuid_dump *dumps = NULL, *again = NULL;
		size_t len = 0, n = 0, n2 = 0, tlen = 0;

		print_message("%s\n", names.v[f]);
		raw = read_corpus(names.v[f], &len);
		assert_int_equal(hv_cpuid_parse_text(raw, len, &dumps, &n, NULL), 0);
		assert_int_equal(hv_cpuid_format_text(dumps, n, &text, &tlen), 0);
		assert_int_equal(tlen, len);
		assert_int_equal(strlen(text), tlen);
		assert_memory_equal(text, raw, len);
		assert_int_equal(hv_cpuid_parse_text(text, tlen, &again, &n2, NULL), 0);
		assert_int_equal(n2, n);
		for (size_t i = 0; i < n; i++)
			assert_dumps_equal(&dumps[i], &again[i]);
		blocks += n;
		hv_cpuid_dumps_free(dumps, n);
		hv_cpuid_dumps_free(again, n2);
	}
	assert_true(blocks >= 15);
	hv_strv_clear(&names);
}

static void
test_format_exact(void **state _unused_)
{
	struct hv_cpuid_leaf l[3] = {
		{ 0, 0, { 0x1c, 0x68747541, 0x444d4163, 0x69746e65 } },
		{ 0xd, 0x3f, { 1, 2, 3, 4 } },
		{ 0xd, 0x100, { 0xffffffff, 0, 0x80000000, 0x7 } },
	};
	struct hv_cpuid_dump d[2] = {
		{ .cpu = 3, .leaves = l, .n_leaves = 3 },
		{ .cpu = 12, .leaves = l, .n_leaves = 1 },
	};
	_cleanup_free_ char *text = NULL, *one = NULL;
	struct hv_cpuid_dump *back = NULL;
	size_t len = 0, n = 0;

	assert_int_equal(hv_cpuid_format_text(d, 2, &text, &len), 0);
	assert_string_equal(text,
		"CPU 3:\n"
		"   0x00000000 0x00: eax=0x0000001c ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n"
		"   0x0000000d 0x3f: eax=0x00000001 ebx=0x00000002 ecx=0x00000003 edx=0x00000004\n"
		"   0x0000000d 0x100: eax=0xffffffff ebx=0x00000000 "
		"ecx=0x80000000 edx=0x00000007\n"
		"CPU 12:\n"
		"   0x00000000 0x00: eax=0x0000001c ebx=0x68747541 "
		"ecx=0x444d4163 edx=0x69746e65\n");
	assert_int_equal(len, strlen(text));
	assert_int_equal(hv_cpuid_parse_text(text, len, &back, &n, NULL), 0);
	assert_int_equal(n, 2);
	assert_dumps_equal(&back[0], &d[0]);
	assert_dumps_equal(&back[1], &d[1]);
	hv_cpuid_dumps_free(back, n);

	/* a lone dump of cpu -1 is `cpuid -r -1`'s "CPU:" block */
	d[0].cpu = -1;
	d[0].n_leaves = 1;
	assert_int_equal(hv_cpuid_format_text(d, 1, &one, &len), 0);
	assert_string_equal(one, "CPU:\n   0x00000000 0x00: eax=0x0000001c "
			    "ebx=0x68747541 ecx=0x444d4163 edx=0x69746e65\n");
}

/* What would not read back the same is refused, and nothing returned. */
static void
test_format_refused(void **state _unused_)
{
	struct hv_cpuid_leaf l[2] = {
		{ 7, 0, { 1, 2, 3, 4 } },
		{ 7, 1, { 5, 6, 7, 8 } },
	};
	struct hv_cpuid_leaf swapped[2] = { l[1], l[0] };
	struct hv_cpuid_leaf twice[2] = { l[0], l[0] };
	_cleanup_free_ struct hv_cpuid_leaf *many = NULL;
	struct {
		const char *what;
		struct hv_cpuid_dump d[2];
		size_t n;
	} cases[] = {
		{ "no dumps", { { 0 } }, 0 },
		{ "no leaves", { { .cpu = 0, .leaves = l, .n_leaves = 0 } }, 1 },
		{ "unsorted", { { .cpu = 0, .leaves = swapped, .n_leaves = 2 } }, 1 },
		{ "a leaf twice", { { .cpu = 0, .leaves = twice, .n_leaves = 2 } }, 1 },
		{ "CPU: beside CPU 1:", { { .cpu = -1, .leaves = l, .n_leaves = 2 },
					  { .cpu = 1, .leaves = l, .n_leaves = 2 } }, 2 },
		{ "CPU 1 twice", { { .cpu = 1, .leaves = l, .n_leaves = 2 },
				   { .cpu = 1, .leaves = l, .n_leaves = 2 } }, 2 },
		{ "CPU 8192", { { .cpu = 8192, .leaves = l, .n_leaves = 2 } }, 1 },
		{ "1025 leaves", { { .cpu = 0, .n_leaves = 1025 } }, 1 },
	};

	many = calloc(1025, sizeof(*many));
	assert_non_null(many);
	for (uint32_t i = 0; i < 1025; i++)
		many[i].leaf = i;
	cases[HV_ELEMENTSOF(cases) - 1].d[0].leaves = many;
	for (size_t i = 0; i < HV_ELEMENTSOF(cases); i++) {
		char *text = (char *)"untouched";
		size_t len = 77;

		print_message("%s\n", cases[i].what);
		assert_int_equal(hv_cpuid_format_text(cases[i].d, cases[i].n,
						      &text, &len), -EINVAL);
		assert_string_equal(text, "untouched");
		assert_int_equal(len, 77);
	}
	/* 1024 leaves are fine: the parser's bound */
	cases[HV_ELEMENTSOF(cases) - 1].d[0].n_leaves = 1024;
	{
		_cleanup_free_ char *text = NULL;
		struct hv_cpuid_dump *back = NULL;
		size_t len = 0, n = 0;

		assert_int_equal(hv_cpuid_format_text(cases[HV_ELEMENTSOF(cases) - 1].d,
						      1, &text, &len), 0);
		assert_int_equal(hv_cpuid_parse_text(text, len, &back, &n, NULL), 0);
		assert_int_equal(back[0].n_leaves, 1024);
		hv_cpuid_dumps_free(back, n);
	}
}

/* ---- what the live probe records for a capture ------------------------ */

/* A capture root holding cpuid.txt text and the CPU list; probed. */
static void
probe_text_root(struct probed *p, const char *text, size_t len,
		const char *online)
{
	_cleanup_free_ char *path = NULL, *m = NULL;
	FILE *f;

	m = hv_asprintf("d hwvirt\nf sys/devices/system/cpu/online %s\n", online);
	assert_non_null(m);
	p->dir = hv_test_root_from_text(m);
	path = hv_asprintf("%s/hwvirt/cpuid.txt", p->dir);
	assert_non_null(path);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(hv_root_open(p->dir, &p->root), 0);
	p->host = hv_host_new();
	assert_non_null(p->host);
	assert_int_equal(hv_cpu_probe(p->root, p->host), 0);
}

static void
assert_types_equal(const struct hv_cpu *a, const struct hv_cpu *b)
{
	assert_int_equal(a->n_types, b->n_types);
	for (size_t i = 0; i < a->n_types; i++) {
		const struct hv_cpuid_dump *x = &a->types[i].cpuid;
		const struct hv_cpuid_dump *y = &b->types[i].cpuid;

		if (a->types[i].cpus || b->types[i].cpus)
			assert_string_equal(a->types[i].cpus, b->types[i].cpus);
		assert_int_equal(a->types[i].core_type, b->types[i].core_type);
		assert_int_equal(x->n_leaves, y->n_leaves);
		for (size_t j = 0; j < x->n_leaves; j++)
			assert_memory_equal(&x->leaves[j], &y->leaves[j],
					    sizeof(x->leaves[j]));
	}
	assert_string_equal(a->vendor_id, b->vendor_id);
	assert_string_equal(a->brand, b->brand);
	assert_int_equal(a->signature, b->signature);
	assert_int_equal(a->vmx, b->vmx);
	assert_int_equal(a->svm, b->svm);
	assert_int_equal(a->hybrid, b->hybrid);
	assert_string_equal(a->hypervisor_id, b->hypervisor_id);
}

/*
 * This machine, live, with recording on: the probe records
 * hwvirt/cpuid.txt as one "CPU:" block (or, on a hybrid part, one full
 * block per type), and a capture holding it reads back the same types.
 * Without recording, nothing is kept.
 */
static void
test_record_live(void **state _unused_)
{
#if defined(__x86_64__) || defined(__i386__)
	struct hv_root *root = NULL;
	struct hv_host *live = hv_host_new(), *quiet = hv_host_new();
	const struct hv_root_blob *blobs;
	_cleanup_free_ char *online = NULL;
	struct probed p;
	size_t n = 0;
	char line[256] = "";
	FILE *f;

	assert_non_null(live);
	assert_non_null(quiet);
	assert_int_equal(hv_root_open("/", &root), 0);
	assert_int_equal(hv_cpu_probe(root, quiet), 0);
	(void)hv_root_recorded_data(root, &n);
	assert_int_equal(n, 0);

	hv_root_set_recording(root, true);
	assert_int_equal(hv_cpu_probe(root, live), 0);
	blobs = hv_root_recorded_data(root, &n);
	assert_int_equal(n, 1);
	assert_string_equal(blobs[0].path, "hwvirt/cpuid.txt");
	assert_true(blobs[0].len > 100);
	print_message("recorded %zu bytes, %zu type(s)\n", blobs[0].len,
		      live->cpu.n_types);
	if (live->cpu.n_types == 1)
		assert_memory_equal(blobs[0].data, "CPU:\n", 5);
	else
		assert_memory_equal(blobs[0].data, "CPU 0:\n", 7);
	/* the same CPU read each time: runs agree */
	assert_types_equal(&live->cpu, &quiet->cpu);

	f = fopen("/sys/devices/system/cpu/online", "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	probe_text_root(&p, blobs[0].data, blobs[0].len, line);
	assert_int_equal(p.host->cpu.cpuid.state, HV_FACT_OK);
	assert_string_equal(p.host->cpu.cpuid.source, "hwvirt/cpuid.txt");
	assert_int_equal(p.host->n_diags, 0);
	assert_types_equal(&live->cpu, &p.host->cpu);
	probed_free(&p);
	hv_host_free(live);
	hv_host_free(quiet);
	hv_root_free(root);
#else
	skip();
#endif
}

/*
 * The shape recorded on a hybrid part, built from the real i3-1220P dump
 * (8 CPUs: 0-3 P-cores, 4-7 E-cores) as the live probe builds it: all the
 * leaves for the first CPU of each type, the two leaves that tell the type
 * (7.0 and 0x1a.0) for each other CPU. Read back, it gives the types and
 * CPU lists that the full dump gives.
 */
static void
test_record_hybrid_shape(void **state _unused_)
{
	_cleanup_free_ char *raw = NULL, *text = NULL;
	_cleanup_free_ struct hv_cpuid_dump *blocks = NULL;
	_cleanup_free_ struct hv_cpuid_leaf *pairs = NULL;
	struct hv_cpuid_dump *dumps = NULL;
	struct probed full, shaped;
	uint8_t first_seen[256] = { 0 };
	size_t len = 0, n = 0, tlen = 0;

	raw = read_corpus("intel-core-i3-1220p-hybrid.cpuid-raw.txt", &len);
	assert_int_equal(hv_cpuid_parse_text(raw, len, &dumps, &n, NULL), 0);
	assert_int_equal(n, 8);
	blocks = calloc(n, sizeof(*blocks));
	pairs = calloc(2 * n, sizeof(*pairs));
	assert_non_null(blocks);
	assert_non_null(pairs);
	for (size_t i = 0; i < n; i++) {
		const struct hv_cpuid_regs *r7 = hv_cpuid_get(&dumps[i], 7, 0);
		const struct hv_cpuid_regs *r1a = hv_cpuid_get(&dumps[i], 0x1a, 0);
		uint8_t type;

		assert_non_null(r7);
		assert_non_null(r1a);
		type = (uint8_t)(r1a->eax >> 24);
		if (!first_seen[type]) {
			first_seen[type] = 1;
			blocks[i] = dumps[i];
		} else {
			pairs[2 * i] = (struct hv_cpuid_leaf){ 7, 0, *r7 };
			pairs[2 * i + 1] = (struct hv_cpuid_leaf){ 0x1a, 0, *r1a };
			blocks[i] = (struct hv_cpuid_dump){
				.cpu = dumps[i].cpu, .leaves = &pairs[2 * i],
				.n_leaves = 2,
			};
		}
	}
	assert_int_equal(hv_cpuid_format_text(blocks, n, &text, &tlen), 0);
	/* much smaller than the full dump: two full blocks */
	assert_true(tlen < len / 3);

	probe_text_root(&full, raw, len, "0-7");
	probe_text_root(&shaped, text, tlen, "0-7");
	assert_int_equal(shaped.host->cpu.n_types, 2);
	assert_string_equal(shaped.host->cpu.types[0].cpus, "0-3");
	assert_string_equal(shaped.host->cpu.types[1].cpus, "4-7");
	assert_int_equal(shaped.host->cpu.types[0].core_type, 0x40);
	assert_int_equal(shaped.host->cpu.types[1].core_type, 0x20);
	assert_types_equal(&full.host->cpu, &shaped.host->cpu);
	probed_free(&full);
	probed_free(&shaped);
	hv_cpuid_dumps_free(dumps, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_against_cpuid_tool),
		cmocka_unit_test(test_corpus_values),
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_too_many_cpus),
		cmocka_unit_test(test_parse_truncated_everywhere),
		cmocka_unit_test(test_parse_corrupted),
		cmocka_unit_test(test_decode_edges),
		cmocka_unit_test(test_cpuinfo_real),
		cmocka_unit_test(test_cpuinfo_format),
		cmocka_unit_test(test_probe_kvm_guest),
		cmocka_unit_test(test_probe_hybrid),
		cmocka_unit_test(test_probe_amd_server),
		cmocka_unit_test(test_probe_intel_kernel_views),
		cmocka_unit_test(test_probe_broken_inputs),
		cmocka_unit_test(test_probe_live),
		cmocka_unit_test(test_format_corpus_round_trip),
		cmocka_unit_test(test_format_exact),
		cmocka_unit_test(test_format_refused),
		cmocka_unit_test(test_record_live),
		cmocka_unit_test(test_record_hybrid_shape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
