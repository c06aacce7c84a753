/*
 * writer-xml.c -- the XML writer: the report model of writer-json.c
 * (hv_report_to_json) written through libxml2's xmlTextWriter, so XML and
 * JSON hold the same content under the same names.
 *
 * Mapping (data/schema/report.xsd has it exactly):
 *
 *   JSON                                XML
 *   top-level schema_version,           attributes of the root element
 *     hwvirt_version, command           <hwvirt schema_version="1.0" ...>
 *   "key": value                        <key>value</key>
 *   "key": null (unknown)               omitted: the facts say why
 *   true / false, numbers               text "true" / "false", decimal
 *   "key": { ... }                      <key> children in the same order </key>
 *   "key": [ a, b ]                     <key><item>a</item><item>b</item></key>,
 *                                       item named by item_names[] ("device")
 *   "facts": { "cpuid": { "status":     <facts><fact name="cpuid" status=".."
 *     .., "source": .. } }                source=".." reason=".." errno=".."/>
 *
 * UTF-8, indented by two spaces. Strings were sanitized when the model was
 * built, so the output is always well-formed XML 1.0.
 */
#include <json.h>
#include <libxml/xmlwriter.h>
#include <stdio.h>

#include "hv-writer.h"

/* The element of one item of each array, by the array's key. */
static const struct {
	const char *array;
	const char *item;
} item_names[] = {
	{ "cmdline_params", "param" },
	{ "cpuid",          "leaf" },
	{ "devices",        "device" },
	{ "diagnostics",    "diagnostic" },
	{ "evidence",       "item" },
	{ "findings",       "finding" },
	{ "flags",          "flag" },
	{ "groups",         "group" },
	{ "hugepages",      "pool" },
	{ "modules",        "module" },
	{ "params",         "param" },
	{ "profiles",       "profile" },
	{ "types",          "type" },
	{ "units",          "unit" },
	{ "vf_bars",        "bar" },
	{ "vfs",            "vf" },
	{ "vmx_flags",      "flag" },
};

/* Attributes of the root element rather than children. */
static const char *const root_attributes[] = {
	"schema_version", "hwvirt_version", "command",
};

static const char *
item_name(const char *array)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(item_names); i++)
		if (strcmp(item_names[i].array, array) == 0)
			return item_names[i].item;
	return "item";
}

static bool
is_root_attribute(const char *key)
{
	for (size_t i = 0; i < HV_ELEMENTSOF(root_attributes); i++)
		if (strcmp(root_attributes[i], key) == 0)
			return true;
	return false;
}

#define X(s) ((const xmlChar *)(s))

/* Scalar as text: strings as they are, numbers and booleans as JSON has them. */
static const char *
scalar_text(struct json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

static int write_value(xmlTextWriterPtr w, const char *name,
		       struct json_object *v, unsigned depth);

/* <facts><fact name=".." status=".." .../>...</facts> */
static int
write_facts(xmlTextWriterPtr w, struct json_object *facts)
{
	if (xmlTextWriterStartElement(w, X("facts")) < 0)
		return -ENOMEM;
	json_object_object_foreach(facts, name, f) {
		if (!f)
			continue;
		if (xmlTextWriterStartElement(w, X("fact")) < 0 ||
		    xmlTextWriterWriteAttribute(w, X("name"), X(name)) < 0)
			return -ENOMEM;
		json_object_object_foreach(f, attr, val) {
			const char *t;

			if (!val)
				continue;	/* null attributes are left out */
			t = scalar_text(val);
			if (!t || xmlTextWriterWriteAttribute(w, X(attr), X(t)) < 0)
				return -ENOMEM;
		}
		if (xmlTextWriterEndElement(w) < 0)
			return -ENOMEM;
	}
	if (xmlTextWriterEndElement(w) < 0)
		return -ENOMEM;
	return 0;
}

static int
write_children(xmlTextWriterPtr w, struct json_object *obj, unsigned depth,
	       bool skip_root_attributes)
{
	json_object_object_foreach(obj, key, val) {
		int r;

		if (skip_root_attributes && is_root_attribute(key))
			continue;
		r = write_value(w, key, val, depth + 1);
		if (r < 0)
			return r;
	}
	return 0;
}

static int
write_value(xmlTextWriterPtr w, const char *name, struct json_object *v,
	    unsigned depth)
{
	const char *t;
	int r;

	if (!v)
		return 0;		/* unknown: omitted */
	if (depth > 32)
		return -ELOOP;		/* the model is never this deep */
	switch (json_object_get_type(v)) {
	case json_type_object:
		if (strcmp(name, "facts") == 0)
			return write_facts(w, v);
		if (xmlTextWriterStartElement(w, X(name)) < 0)
			return -ENOMEM;
		r = write_children(w, v, depth, false);
		if (r < 0)
			return r;
		return xmlTextWriterEndElement(w) < 0 ? -ENOMEM : 0;
	case json_type_array: {
		const char *item = item_name(name);
		size_t n = json_object_array_length(v);

		if (xmlTextWriterStartElement(w, X(name)) < 0)
			return -ENOMEM;
		for (size_t i = 0; i < n; i++) {
			r = write_value(w, item,
					    json_object_array_get_idx(v, i),
					    depth + 1);

			if (r < 0)
				return r;
		}
		return xmlTextWriterEndElement(w) < 0 ? -ENOMEM : 0;
	}
	case json_type_null:
		return 0;
	case json_type_boolean:
	case json_type_double:
	case json_type_int:
	case json_type_string:
		break;
	}
	t = scalar_text(v);
	if (!t || xmlTextWriterWriteElement(w, X(name), X(t)) < 0)
		return -ENOMEM;
	return 0;
}

static int
write_document(xmlTextWriterPtr w, struct json_object *root)
{
	int r;

	if (xmlTextWriterSetIndent(w, 1) < 0 ||
	    xmlTextWriterSetIndentString(w, X("  ")) < 0 ||
	    xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElement(w, X("hwvirt")) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < HV_ELEMENTSOF(root_attributes); i++) {
		struct json_object *v = NULL;
		const char *t;

		if (!json_object_object_get_ex(root, root_attributes[i], &v) || !v)
			continue;
		t = scalar_text(v);
		if (!t || xmlTextWriterWriteAttribute(w, X(root_attributes[i]),
						      X(t)) < 0)
			return -ENOMEM;
	}
	r = write_children(w, root, 0, true);
	if (r < 0)
		return r;
	if (xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndDocument(w) < 0)
		return -ENOMEM;
	return 0;
}

int
hv_write_xml(FILE *out, const struct hv_report *r,
	     const struct hv_write_opts *o _unused_)
{
	struct json_object *root = NULL;
	xmlTextWriterPtr w = NULL;
	xmlBufferPtr buf = NULL;
	int rc;

	rc = hv_report_to_json(r, &root);
	if (rc < 0)
		return rc;
	buf = xmlBufferCreate();
	if (buf)
		w = xmlNewTextWriterMemory(buf, 0);
	if (!w) {
		rc = -ENOMEM;
		goto out;
	}
	rc = write_document(w, root);
	xmlFreeTextWriter(w);		/* flushes into buf */
	if (rc < 0)
		goto out;
	if (fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf),
		   out) != (size_t)xmlBufferLength(buf))
		rc = -EIO;
	if (fflush(out) != 0 || ferror(out))
		rc = -EIO;
out:
	xmlBufferFree(buf);
	json_object_put(root);
	return rc;
}
