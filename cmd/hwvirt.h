/*
 * hwvirt.h -- the program's internal interface between main.c and the
 * subcommands. Only cmd/ talks to the user: it prints reports to standard
 * output, diagnostics to standard error, and chooses the exit code.
 */
#ifndef HWVIRT_CMD_H
#define HWVIRT_CMD_H

#include <stdbool.h>

#include "hv-audit.h"
#include "hv-host.h"
#include "hv-root.h"
#include "hv-util.h"
#include "hv-writer.h"

/* Options, each allowed for the commands whose bit is in its mask. */
enum {
	HV_OPT_ROOT	= 1u << 0,
	HV_OPT_FORMAT	= 1u << 1,
	HV_OPT_PROFILE	= 1u << 2,
	HV_OPT_STRICT	= 1u << 3,
	HV_OPT_VERBOSE	= 1u << 4,
	HV_OPT_COLOR	= 1u << 5,
	HV_OPT_OUTPUT	= 1u << 6,
};

/* `hwvirt capture` could not write its output (sysexits' EX_CANTCREAT). */
#define HV_EXIT_CANTCREAT	73

enum hv_color {
	HV_COLOR_AUTO = 0,
	HV_COLOR_NEVER,
	HV_COLOR_ALWAYS,
};

struct hv_ctx {
	const char *root_path;		/* NULL: "/"; a directory or a tarball */
	const char *output;		/* capture: -o OUT, NULL for the default */
	enum hv_format format;
	enum hv_color color;
	bool verbose;
	bool strict;
	struct hv_strv profiles;
	const struct hv_cmd *cmd;
};

struct hv_cmd {
	const char *name;
	const char *operands;		/* "ID", or NULL */
	unsigned options;		/* HV_OPT_* mask */
	const char *summary;
	/* Runs with the operands left after the options; returns an exit code. */
	int (*run)(struct hv_ctx *ctx, int argc, char **argv);
};

/* main.c */
extern const struct hv_cmd hv_cmds[];
extern const size_t hv_n_cmds;
void hv_usage_cmd(FILE *out, const struct hv_cmd *cmd);

/* common.c */
/*
 * Open the root the user gave (ctx->root_path, "/" by default). A regular
 * file is a tarball: it is extracted into a private temporary directory
 * (removed when the program exits, or is killed by SIGINT, SIGTERM or
 * SIGHUP) and that is opened. On failure prints why and returns an exit
 * code (65 bad input, 1 internal); on success 0 and *ret_root.
 */
int hv_cmd_open_root(const struct hv_ctx *ctx, struct hv_root **ret_root);
/*
 * Probe the host under root (opened by hv_cmd_open_root); the host's root
 * is the path as the user gave it. On failure prints why and returns an
 * exit code (>0); on success 0 and *ret_host.
 */
int hv_cmd_probe_root(const struct hv_ctx *ctx, struct hv_root *root,
		      struct hv_host **ret_host);
/*
 * Open the root and probe the host. On failure prints why and returns an
 * exit code (>0); on success returns 0 and sets *ret_root and *ret_host.
 */
int hv_cmd_probe(const struct hv_ctx *ctx, struct hv_root **ret_root,
		 struct hv_host **ret_host);
/* Print the host's diagnostics; true if any was about bad input. */
bool hv_cmd_print_diags(const struct hv_host *host);
/* Write the report to standard output; returns 0 or an exit code. */
int hv_cmd_write(const struct hv_ctx *ctx, const struct hv_report *report);
/* Should text go out in colour? */
bool hv_cmd_use_color(const struct hv_ctx *ctx);

/* one file per subcommand */
int hv_cmd_inventory(struct hv_ctx *ctx, int argc, char **argv);
int hv_cmd_audit(struct hv_ctx *ctx, int argc, char **argv);
int hv_cmd_profiles(struct hv_ctx *ctx, int argc, char **argv);
int hv_cmd_explain(struct hv_ctx *ctx, int argc, char **argv);
int hv_cmd_capture(struct hv_ctx *ctx, int argc, char **argv);

#endif
