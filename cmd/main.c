/*
 * main.c -- hwvirt's entry point: the table of subcommands, the table of
 * options, and usage generated from both.
 *
 * Adding a command: write cmd/NAME.c with hv_cmd_NAME(), add a row to
 * hv_cmds[] with the options it takes, declare it in hwvirt.h, document it
 * in man/hwvirt.1 (tests/cli.sh checks that the synopsis there matches
 * `hwvirt NAME --help`), and add golden tests if it writes a report.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "hwvirt.h"

const struct hv_cmd hv_cmds[] = {
	{ "inventory", NULL,
	  HV_OPT_ROOT | HV_OPT_FORMAT | HV_OPT_VERBOSE | HV_OPT_COLOR,
	  "show what the host has: CPU, kernel, ACPI, IOMMU, PCI, firmware",
	  hv_cmd_inventory },
	{ "audit", NULL,
	  HV_OPT_ROOT | HV_OPT_FORMAT | HV_OPT_PROFILE | HV_OPT_STRICT |
		  HV_OPT_VERBOSE | HV_OPT_COLOR,
	  "judge the host against profiles; the exit status is the verdict",
	  hv_cmd_audit },
	{ "profiles", NULL, HV_OPT_FORMAT | HV_OPT_VERBOSE,
	  "list the built-in profiles", hv_cmd_profiles },
	{ "explain", "ID", 0,
	  "tell what a check means and how to fix it", hv_cmd_explain },
	{ "capture", NULL, HV_OPT_ROOT | HV_OPT_OUTPUT | HV_OPT_VERBOSE,
	  "copy what hwvirt reads of the host into a directory or tarball",
	  hv_cmd_capture },
};
const size_t hv_n_cmds = HV_ELEMENTSOF(hv_cmds);

enum {
	OPTV_ROOT = 0x100,
	OPTV_FORMAT,
	OPTV_PROFILE,
	OPTV_STRICT,
	OPTV_COLOR,
	OPTV_NO_COLOR,
	OPTV_VERSION,
};

struct hv_option {
	const char *name;
	int short_name;			/* 0 if none */
	int has_arg;
	int val;
	unsigned mask;
	const char *arg;		/* argument name in usage */
	bool repeat;			/* may be given more than once */
	const char *help;
};

static const struct hv_option hv_options[] = {
	{ "root", 0, required_argument, OPTV_ROOT, HV_OPT_ROOT, "DIR|FILE",
	  false, "read the host captured in DIR or tarball FILE, not /" },
	{ "output", 'o', required_argument, 'o', HV_OPT_OUTPUT, "OUT", false,
	  "capture into OUT: a directory, or OUT.tar, .tar.gz, .tgz, .tar.xz" },
	{ "format", 'f', required_argument, OPTV_FORMAT, HV_OPT_FORMAT,
	  "text|json|xml", false, "report format (default: text)" },
	{ "profile", 'p', required_argument, OPTV_PROFILE, HV_OPT_PROFILE,
	  "NAME|FILE", true,
	  "judge against this profile (default: kvm-host); repeatable" },
	{ "strict", 0, no_argument, OPTV_STRICT, HV_OPT_STRICT, NULL, false,
	  "count warnings as failures in the exit status" },
	{ "verbose", 'v', no_argument, 'v', HV_OPT_VERBOSE, NULL, false,
	  "show every detail in text output" },
	{ "color", 0, required_argument, OPTV_COLOR, HV_OPT_COLOR,
	  "auto|always|never", false,
	  "colour text output (default: auto, only on a terminal)" },
	{ "no-color", 0, no_argument, OPTV_NO_COLOR, HV_OPT_COLOR, NULL,
	  false, NULL },
};

static void
usage_option(FILE *out, const struct hv_option *o)
{
	if (o->arg)
		fprintf(out, " [--%s %s]%s", o->name, o->arg,
			o->repeat ? "..." : "");
	else
		fprintf(out, " [--%s]", o->name);
}

void
hv_usage_cmd(FILE *out, const struct hv_cmd *cmd)
{
	fprintf(out, "usage: hwvirt %s", cmd->name);
	for (size_t i = 0; i < HV_ELEMENTSOF(hv_options); i++)
		if ((hv_options[i].mask & cmd->options) && hv_options[i].help)
			usage_option(out, &hv_options[i]);
	if (cmd->operands)
		fprintf(out, " %s", cmd->operands);
	fputc('\n', out);
}

static void
usage(FILE *out)
{
	fputs("usage: hwvirt [--root DIR|FILE] COMMAND [options]\n"
	      "       hwvirt --help | --version\n\ncommands:\n", out);
	for (size_t i = 0; i < hv_n_cmds; i++)
		fprintf(out, "  %-10s %s\n", hv_cmds[i].name,
			hv_cmds[i].summary);
	fputs("\noptions:\n", out);
	for (size_t i = 0; i < HV_ELEMENTSOF(hv_options); i++) {
		const struct hv_option *o = &hv_options[i];
		char left[64];

		if (!o->help)
			continue;
		if (o->short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				 o->short_name, o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-30s %s\n", left, o->help);
	}
	fputs("  -h, --help                     show this help\n"
	      "      --version                  show the version\n"
	      "\nexit status: 0 ready, 2 not ready, 3 could not determine,\n"
	      "1 internal error, 64 usage error, 65 bad input,\n"
	      "73 capture not written; see hwvirt(1)\n",
	      out);
}

static const struct hv_cmd *
find_cmd(const char *name)
{
	for (size_t i = 0; i < hv_n_cmds; i++)
		if (strcmp(hv_cmds[i].name, name) == 0)
			return &hv_cmds[i];
	return NULL;
}

/*
 * Parse options allowed by mask. Returns -1 to go on, or an exit code.
 * optind is left at the first operand.
 */
static int
parse_options(struct hv_ctx *ctx, int argc, char **argv, unsigned mask,
	      bool stop_at_operand)
{
	struct option longopts[HV_ELEMENTSOF(hv_options) + 3];
	char shortopts[2 * HV_ELEMENTSOF(hv_options) + 4];
	size_t nl = 0, ns = 0;
	int c;

	if (stop_at_operand)
		shortopts[ns++] = '+';
	shortopts[ns++] = ':';
	shortopts[ns++] = 'h';
	for (size_t i = 0; i < HV_ELEMENTSOF(hv_options); i++) {
		const struct hv_option *o = &hv_options[i];

		if (!(o->mask & mask))
			continue;
		longopts[nl++] = (struct option){ o->name, o->has_arg, NULL,
						  o->val };
		if (o->short_name) {
			shortopts[ns++] = (char)o->short_name;
			if (o->has_arg == required_argument)
				shortopts[ns++] = ':';
		}
	}
	longopts[nl++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[nl++] = (struct option){ "version", no_argument, NULL,
					  OPTV_VERSION };
	longopts[nl] = (struct option){ 0 };
	shortopts[ns] = '\0';

	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			if (ctx->cmd)
				hv_usage_cmd(stdout, ctx->cmd);
			else
				usage(stdout);
			return 0;
		case OPTV_VERSION:
			printf("hwvirt %s\n", PACKAGE_VERSION);
			return 0;
		case OPTV_ROOT:
			ctx->root_path = optarg;
			break;
		case 'f':
		case OPTV_FORMAT:
			if (hv_format_from_string(optarg, &ctx->format) < 0) {
				warnx("unknown format '%s': expected text, json or xml",
				      optarg);
				return HV_EXIT_USAGE;
			}
			break;
		case 'p':
		case OPTV_PROFILE:
			if (hv_strv_add(&ctx->profiles, optarg) < 0) {
				warnx("out of memory");
				return HV_EXIT_INTERNAL;
			}
			break;
		case OPTV_STRICT:
			ctx->strict = true;
			break;
		case 'v':
			ctx->verbose = true;
			break;
		case 'o':
			ctx->output = optarg;
			break;
		case OPTV_COLOR:
			if (strcmp(optarg, "auto") == 0)
				ctx->color = HV_COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				ctx->color = HV_COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				ctx->color = HV_COLOR_NEVER;
			else {
				warnx("unknown colour mode '%s': expected auto, always or never",
				      optarg);
				return HV_EXIT_USAGE;
			}
			break;
		case OPTV_NO_COLOR:
			ctx->color = HV_COLOR_NEVER;
			break;
		case ':':
			warnx("option '%s' needs an argument", argv[optind - 1]);
			return HV_EXIT_USAGE;
		default:
			if (optopt)
				warnx("unknown option '-%c'%s%s", optopt,
				      ctx->cmd ? " for " : "",
				      ctx->cmd ? ctx->cmd->name : "");
			else
				warnx("unknown option '%s'%s%s",
				      argv[optind - 1],
				      ctx->cmd ? " for " : "",
				      ctx->cmd ? ctx->cmd->name : "");
			if (ctx->cmd)
				hv_usage_cmd(stderr, ctx->cmd);
			else
				fputs("try 'hwvirt --help'\n", stderr);
			return HV_EXIT_USAGE;
		}
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct hv_ctx ctx = { .format = HV_FORMAT_TEXT };
	const struct hv_cmd *cmd;
	int r;

	/* Options before the command: --root and --help/--version. */
	r = parse_options(&ctx, argc, argv, HV_OPT_ROOT | HV_OPT_COLOR, true);
	if (r >= 0)
		goto out;
	if (optind >= argc) {
		usage(stderr);
		r = HV_EXIT_USAGE;
		goto out;
	}
	cmd = find_cmd(argv[optind]);
	if (!cmd) {
		warnx("unknown command '%s'; try 'hwvirt --help'",
		      argv[optind]);
		r = HV_EXIT_USAGE;
		goto out;
	}
	ctx.cmd = cmd;

	/* The command's own options (and --root again) after its name. */
	argc -= optind;
	argv += optind;
	optind = 1;
	r = parse_options(&ctx, argc, argv, cmd->options, false);
	if (r >= 0)
		goto out;
	argc -= optind;
	argv += optind;
	if (!cmd->operands && argc > 0) {
		warnx("%s: unexpected argument '%s'", cmd->name, argv[0]);
		hv_usage_cmd(stderr, cmd);
		r = HV_EXIT_USAGE;
		goto out;
	}
	r = cmd->run(&ctx, argc, argv);
out:
	hv_strv_clear(&ctx.profiles);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn("write error on standard output");
		if (r == 0)
			r = HV_EXIT_INTERNAL;
	}
	return r;
}
