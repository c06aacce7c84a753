/*
 * capture.c -- what a captured host says about itself: when it was
 * captured, from which host, by which hwvirt; read by the capture-info
 * probe and written by `hwvirt capture`.
 *
 * Reads:  hwvirt/capture.json (captures only; nothing on a live root).
 * Fills:  host->capture.
 *
 * The file is a JSON object; the members read are strings, others are
 * ignored (a later hwvirt may add some). `hwvirt capture` writes also the
 * root it captured, as the user gave it, and whether root took it:
 *
 *   { "created": "2024-05-01T12:00:00Z", "hostname": "node17",
 *     "hwvirt_version": "0.1", "root": "/", "privileged": true }
 */
#include <json.h>
#include <stdio.h>

#include "hv-capture.h"
#include "hv-probe.h"

#define CAPTURE_JSON	HV_CAPTURE_JSON
#define CAPTURE_MAX	HV_READ_SMALL
#define JSON_MAX_DEPTH	16

static const struct {
	const char *key;
	size_t offset;
} capture_fields[] = {
	{ "created",		offsetof(struct hv_capture_info, created) },
	{ "hostname",		offsetof(struct hv_capture_info, hostname) },
	{ "hwvirt_version",	offsetof(struct hv_capture_info, hwvirt_version) },
};

static char **
capture_slot(struct hv_capture_info *c, size_t i)
{
	return (char **)(void *)((char *)c + capture_fields[i].offset);
}

/* 1-based line of byte offset off in buf. */
static unsigned
line_of(const char *buf, size_t len, size_t off)
{
	unsigned line = 1;

	for (size_t i = 0; i < off && i < len; i++)
		if (buf[i] == '\n')
			line++;
	return line;
}

/* Mark the capture info INVALID, with a diagnostic (bad input). */
static int
capture_invalid(struct hv_host *host, unsigned line, int err, const char *msg)
{
	struct hv_capture_info *c = &host->capture;
	int r;

	for (size_t i = 0; i < HV_ELEMENTSOF(capture_fields); i++) {
		free(*capture_slot(c, i));
		*capture_slot(c, i) = NULL;
	}
	if (line > 0)
		r = hv_fact_set_invalid(&c->fact, CAPTURE_JSON, err,
					"line %u: %s", line, msg);
	else
		r = hv_fact_set_invalid(&c->fact, CAPTURE_JSON, err, "%s", msg);
	if (r < 0)
		return r;
	return hv_host_diag(host, true, CAPTURE_JSON, line, err, "%s", msg);
}

/*
 * Parse the capture description in buf (len bytes, NUL-terminated) into
 * host->capture. Malformed input is recorded, never fatal: 0 or -ENOMEM.
 */
static int
capture_parse(struct hv_host *host, const char *buf, size_t len)
{
	struct hv_capture_info *c = &host->capture;
	struct json_object *obj = NULL;
	struct json_tokener *tok;
	enum json_tokener_error jerr;
	size_t end;
	int r = 0;

	if (strlen(buf) != len)
		return capture_invalid(host, line_of(buf, len, strlen(buf)),
				       -EBADMSG, "NUL byte in the file");

	tok = json_tokener_new_ex(JSON_MAX_DEPTH);
	if (!tok)
		return -ENOMEM;
	obj = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);

	if (!obj || jerr != json_tokener_success) {
		_cleanup_free_ char *msg = NULL;

		json_object_put(obj);
		msg = hv_asprintf("malformed JSON: %s",
				  jerr == json_tokener_continue ?
				  "unexpected end of file" :
				  json_tokener_error_desc(jerr));
		if (!msg)
			return -ENOMEM;
		/* At the end of the input, name the line of its last byte. */
		if (jerr == json_tokener_continue)
			end = len > 0 ? len - 1 : 0;
		return capture_invalid(host, line_of(buf, len, end), -EBADMSG,
				       msg);
	}
	for (size_t i = end; i < len; i++) {
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' &&
		    buf[i] != '\r') {
			json_object_put(obj);
			return capture_invalid(host, line_of(buf, len, i),
					       -EBADMSG,
					       "data after the JSON object");
		}
	}
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return capture_invalid(host, 1, -EBADMSG,
				       "not a JSON object");
	}

	for (size_t i = 0; i < HV_ELEMENTSOF(capture_fields); i++) {
		struct json_object *v;
		const char *s;
		char **slot = capture_slot(c, i);
		_cleanup_free_ char *msg = NULL;

		if (!json_object_object_get_ex(obj, capture_fields[i].key, &v) ||
		    json_object_is_type(v, json_type_null))
			continue;	/* not recorded: stays NULL */
		s = json_object_get_string(v);
		if (!json_object_is_type(v, json_type_string) || !s ||
		    strlen(s) != (size_t)json_object_get_string_len(v)) {
			msg = hv_asprintf("\"%s\" is not a string",
					  capture_fields[i].key);
			json_object_put(obj);
			if (!msg)
				return -ENOMEM;
			return capture_invalid(host, 0, -EBADMSG, msg);
		}
		free(*slot);
		*slot = strdup(s);
		if (!*slot) {
			r = -ENOMEM;
			break;
		}
	}
	json_object_put(obj);
	if (r < 0)
		return r;
	return hv_fact_set_ok(&c->fact, CAPTURE_JSON);
}

int
hv_capture_info_probe(struct hv_root *root, struct hv_host *host)
{
	_cleanup_free_ char *buf = NULL;
	size_t len;
	int r;

	if (hv_root_is_live(root))
		return 0;	/* a live host: the fact stays UNPROBED */

	r = hv_root_read(root, CAPTURE_JSON, CAPTURE_MAX, &buf, &len);
	if (r == -ENOMEM)
		return r;
	if (r == -EFBIG)
		return capture_invalid(host, 0, -EFBIG,
				       "larger than the 64 KiB limit");
	if (r < 0)
		return hv_fact_set_from_errno(&host->capture.fact,
					      CAPTURE_JSON, r);
	return capture_parse(host, buf, len);
}

/* ---- writing ---------------------------------------------------------- */

int
hv_capture_time_format(time_t t, char *buf, size_t size)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		return -EINVAL;
	if (strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -EINVAL;
	return 0;
}

/* v as a json-c string, or json null for NULL; false on ENOMEM. */
static bool
add_string(struct json_object *o, const char *key, const char *v)
{
	struct json_object *j = NULL;

	if (v) {
		j = json_object_new_string(v);
		if (!j)
			return false;
	}
	if (json_object_object_add(o, key, j) < 0) {
		json_object_put(j);
		return false;
	}
	return true;
}

int
hv_capture_info_format(const struct hv_capture_meta *m, char **ret,
		       size_t *ret_len)
{
	struct json_object *o, *b;
	char when[32];
	const char *s;
	char *text;
	size_t len;
	int r;

	r = hv_capture_time_format(m->created, when, sizeof(when));
	if (r < 0)
		return r;
	o = json_object_new_object();
	if (!o)
		return -ENOMEM;
	if (!add_string(o, "created", when) ||
	    !add_string(o, "hostname", m->hostname) ||
	    !add_string(o, "hwvirt_version", m->hwvirt_version) ||
	    !add_string(o, "root", m->root)) {
		json_object_put(o);
		return -ENOMEM;
	}
	b = json_object_new_boolean(m->privileged);
	if (!b || json_object_object_add(o, "privileged", b) < 0) {
		json_object_put(b);
		json_object_put(o);
		return -ENOMEM;
	}
	/* json-c escapes; '/' is left alone so paths read as paths */
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!s) {
		json_object_put(o);
		return -ENOMEM;
	}
	text = hv_asprintf("%s\n", s);
	json_object_put(o);
	if (!text)
		return -ENOMEM;
	len = strlen(text);
	*ret = text;
	*ret_len = len;
	return 0;
}
