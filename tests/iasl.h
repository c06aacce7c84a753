/*
 * iasl.h -- a parser of iasl's data-table disassembly (`iasl -d`, the
 * "[HexOffset DecimalOffset ByteLength]  FieldName : FieldValue" format),
 * and the same records rendered from a decoder's structs, so the tests can
 * compare a decoded table with iasl field by field in both directions.
 */
#ifndef HV_TEST_IASL_H
#define HV_TEST_IASL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hv-acpi.h"
#include "hv-util.h"

/*
 * One field as iasl prints it. A line without an offset under a field
 * ("decoded below") is a sub-field: it takes its parent's offset, length 0
 * and the name "Parent/Sub" ("Flags (decoded below)/Coherent").
 */
struct iasl_field {
	unsigned line;			/* line in the .dsl; 0 when rendered */
	uint32_t offset;
	uint32_t length;
	char *name;
	char *value;			/* without a trailing [description] */
	char *comment;			/* a trailing comment ("Incorrect checksum,
					   should be 37"), or NULL */
	bool matched;
};

enum iasl_marker_kind {
	IASL_MARK_UNKNOWN_SUBTABLE,	/* "**** Unknown IVRS subtable type 0x51" */
	IASL_MARK_UNKNOWN_ENTRY,	/* "**** Unknown IVRS device entry type/length:
					   0x44/0x8 at offset 0x008C: ..." */
	IASL_MARK_TERMINATES_EARLY,	/* "ACPI subtable terminates early" */
	IASL_MARK_OTHER,		/* anything else iasl complained about */
};

/* A message iasl printed between fields: where it stopped or skipped. */
struct iasl_marker {
	enum iasl_marker_kind kind;
	unsigned line;
	size_t before;			/* number of fields printed before it */
	unsigned type, length, offset;	/* as the message gives them */
	char *text;
};

struct iasl_dump {
	struct iasl_field *fields;
	size_t n_fields, cap_fields;
	struct iasl_marker *markers;
	size_t n_markers, cap_markers;
};

/*
 * Parse the text of a .dsl. 0, or -EBADMSG with *ret_line the offending
 * line (a line of a shape this parser does not know: it is not skipped, so
 * a change in iasl's format is noticed). ret is always initialized.
 */
int iasl_parse(const char *text, struct iasl_dump *ret, unsigned *ret_line);
void iasl_dump_clear(struct iasl_dump *d);

/* Append a rendered field; value is printf-formatted. */
void iasl_add(struct iasl_dump *d, uint32_t offset, uint32_t length,
	      const char *name, const char *fmt, ...) _printf_(5, 6);
/* Append a sub-field of the last field added. */
void iasl_add_sub(struct iasl_dump *d, const char *sub, const char *fmt, ...)
	_printf_(3, 4);
/* Set the comment of the last field added. */
void iasl_set_comment(struct iasl_dump *d, const char *fmt, ...) _printf_(2, 3);

/* Render the 36-byte ACPI header as iasl prints it. */
void iasl_render_header(struct iasl_dump *d, const struct hv_acpi_header *h);

/*
 * Compare iasl's fields (ref) with the decoder's (mine), both ways: every
 * field iasl prints must be decoded at the same offset with the same name,
 * length, value and comment; every decoded field must be one iasl prints,
 * except where iasl says it stopped (a subtable that "terminates early", an
 * unknown subtable type): between the last field printed before such a
 * message and the first after it. Markers of a kind this file does not
 * know count as disagreements. Prints one line per disagreement, naming
 * the table, the offset and the field; returns how many.
 */
unsigned iasl_compare(const char *table, struct iasl_dump *ref,
		      struct iasl_dump *mine);

/*
 * Every "*.dat" file under dir and its subdirectories (a corpus directory),
 * as full paths, sorted. Fails the test if dir cannot be read.
 */
void iasl_list_tables(const char *dir, struct hv_strv *ret);

/* The reference disassembly of a table: "X.dat" -> "X.iasl-20260408.dsl"
 * (acpica 20260408, which knows IVHD 40h, F0h, SATC, SIDP and the DRHD
 * size byte). Caller frees. */
char *iasl_reference_path(const char *dat);

#endif
