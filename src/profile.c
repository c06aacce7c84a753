/*
 * profile.c -- profiles: XML documents in the urn:hwvirt:profile:1
 * namespace, validated against the compiled-in schema, checked against the
 * table of checks, and resolved through "extends".
 *
 * Reads:  the profile file given by path; HV_SYSCONFDIR/hwvirt/profiles/
 *         NAME.xml (site profiles); the compiled-in data/profiles/NAME.xml
 *         and data/schema/profile.xsd (hv_builtin_data()).
 *
 * Document (data/schema/profile.xsd, hwvirt-profile(5)):
 *
 *   <profile xmlns="urn:hwvirt:profile:1" name="NAME" [extends="NAME|PATH"]>
 *     <title>one line</title>
 *     [<description>text</description>]
 *     { <check id="ID" severity="required|recommended|info|off">
 *         { <param name="NAME">VALUE</param> }
 *       </check> }
 *   </profile>
 *
 * Profiles are user input: read with a size bound, parsed by libxml2 with
 * network access, entity substitution and DTD loading off, refused when
 * they hold a DOCTYPE at all (the parse stops there, before any entity is
 * declared), and every libxml2 error goes to a structured handler that
 * keeps the first one with its line, never to standard error.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "hv-profile.h"

#define PROFILE_NS		"urn:hwvirt:profile:1"
#define PROFILE_NS_PREFIX	"{" PROFILE_NS "}"
#define MAX_PARAMS		64	/* per check */
#define MAX_NAME		64	/* profile names */

const char *const hv_builtin_profiles[] = {
	"kvm-host",
	"passthrough",
	"fast-net",
};
const size_t hv_n_builtin_profiles = HV_ELEMENTSOF(hv_builtin_profiles);

/* ---- errors ----------------------------------------------------------- */

static void _printf_(5, 6)
err_set(struct hv_profile_error *e, const char *path, unsigned line,
	bool bad_input, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	*e = (struct hv_profile_error){ .line = line, .bad_input = bad_input };
	snprintf(e->path, sizeof(e->path), "%s", path ? path : "");
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
}

/* What the libxml2 handlers see: the first error is kept. */
struct xml_errors {
	const char *source;
	bool seen;
	unsigned line;
	char msg[400];
	bool doctype;			/* a DOCTYPE was met: parse stopped */
	unsigned doctype_line;
};

/* Keep a libxml2 message readable: no trailing newline, no namespace in
 * braces before every element name. */
static void
tidy_message(char *dst, size_t len, const char *src)
{
	size_t nl = strlen(PROFILE_NS_PREFIX), o = 0;

	for (const char *p = src ? src : "malformed XML"; *p && o + 1 < len; ) {
		if (strncmp(p, PROFILE_NS_PREFIX, nl) == 0) {
			p += nl;
			continue;
		}
		dst[o++] = *p == '\n' ? ' ' : *p;
		p++;
	}
	while (o > 0 && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}

static void
keep_error(struct xml_errors *x, xmlErrorPtr e)
{
	if (!x || !e || x->seen || e->level == XML_ERR_WARNING)
		return;
	x->seen = true;
	x->line = e->line > 0 ? (unsigned)e->line : 0;
	tidy_message(x->msg, sizeof(x->msg), e->message);
}

/* Structured handler of a parser context: called with the context. */
static void
parser_error(void *ctx, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = ctx;

	keep_error(ctxt ? ctxt->_private : NULL, e);
}

/* Structured handler of the schema contexts: called with our state. */
static void
schema_error(void *ctx, xmlErrorPtr e)
{
	keep_error(ctx, e);
}

/* Anything libxml2 would print by itself goes nowhere. */
static void _printf_(2, 3)
generic_error(void *ctx _unused_, const char *msg _unused_, ...)
{
}

/* The DOCTYPE declaration: refuse the document, stop right here. */
static void
on_doctype(void *ctx, const xmlChar *name _unused_,
	   const xmlChar *external_id _unused_, const xmlChar *system_id _unused_)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct xml_errors *x = ctxt->_private;

	if (x && !x->doctype) {
		x->doctype = true;
		x->doctype_line = ctxt->input ? (unsigned)ctxt->input->line : 0;
	}
	xmlStopParser(ctxt);
}

/* ---- the document ----------------------------------------------------- */

static void
rules_free(struct hv_profile_rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct hv_profile_rule *r = &rules[i];

		free(r->check_id);
		for (size_t k = 0; k < r->n_params; k++) {
			free(r->params[k].name);
			free(r->params[k].value);
		}
		free(r->params);
		free(r->from);
	}
	free(rules);
}

/* Free a profile and everything in it. NULL is fine. */
void
hv_profile_free(struct hv_profile *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->title);
	free(p->description);
	free(p->extends);
	free(p->source);
	rules_free(p->rules, p->n_rules);
	free(p);
}

static unsigned
node_line(const xmlNode *n)
{
	long l = xmlGetLineNo(n);

	return l > 0 && l <= (long)UINT_MAX ? (unsigned)l : 0;
}

static bool
is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns &&
	       xmlStrEqual(n->ns->href, BAD_CAST PROFILE_NS) &&
	       xmlStrEqual(n->name, BAD_CAST name);
}

/* Text content with runs of white space made one space, stripped. */
static char *
node_text(const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *s, *o;
	bool space = false;

	if (!c)
		return strdup("");
	s = strdup((const char *)c);
	xmlFree(c);
	if (!s)
		return NULL;
	o = s;
	for (const char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = o != s;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = *p;
	}
	*o = '\0';
	return s;
}

/* An attribute (no namespace) as a new string; NULL if absent. *ret_oom
 * tells an allocation failure from absence. */
static char *
attr(const xmlNode *n, const char *name, bool *ret_oom)
{
	xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
	char *s;

	if (!v)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	if (!s)
		*ret_oom = true;
	return s;
}

static size_t
check_index(const char *id)
{
	const struct hv_check *c = hv_check_find(id);

	return c ? (size_t)(c - hv_checks) : hv_n_checks;
}

static int
cmp_rule(const void *a, const void *b)
{
	const struct hv_profile_rule *x = a, *y = b;
	size_t i = check_index(x->check_id), j = check_index(y->check_id);

	return i < j ? -1 : i > j;
}

/* The parameter names a check takes, for a message: "min_vfs, class". */
static void
param_names(const struct hv_check *c, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; c->params && c->params[i].name && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
				      c->params[i].name);
	if (!buf[0])
		snprintf(buf, len, "none");
}

static int
parse_param(const xmlNode *n, const struct hv_check *c, bool off,
	    struct hv_profile_rule *rule, const char *source,
	    struct hv_profile_error *err)
{
	const struct hv_param_spec *spec;
	_cleanup_free_ char *name = NULL, *value = NULL;
	char msg[200], names[200];
	bool oom = false;

	name = attr(n, "name", &oom);
	value = node_text(n);
	if (oom || !value)
		return -ENOMEM;
	if (!name) {	/* the schema requires it; a safety net */
		err_set(err, source, node_line(n), true, "param without a name");
		return -EINVAL;
	}
	if (off) {
		err_set(err, source, node_line(n), true,
			"check %s is off: it takes no parameters", c->id);
		return -EINVAL;
	}
	spec = hv_param_spec_find(c->params, name);
	if (!spec) {
		param_names(c, names, sizeof(names));
		err_set(err, source, node_line(n), true,
			"check %s has no parameter '%s' (it takes: %s)", c->id, name,
			names);
		return -EINVAL;
	}
	if (hv_param_validate(spec, value, msg, sizeof(msg)) < 0) {
		err_set(err, source, node_line(n), true, "check %s: %s", c->id, msg);
		return -EINVAL;
	}
	if (!spec->repeatable)
		for (size_t k = 0; k < rule->n_params; k++)
			if (strcmp(rule->params[k].name, name) == 0) {
				err_set(err, source, node_line(n), true,
					"check %s: parameter '%s' is given twice",
					c->id, name);
				return -EINVAL;
			}
	if (rule->n_params >= MAX_PARAMS) {
		err_set(err, source, node_line(n), true,
			"check %s: more than %d parameters", c->id, MAX_PARAMS);
		return -EINVAL;
	}
	/* n_params never exceeds MAX_PARAMS: the array is allocated once */
	rule->params[rule->n_params].name = HV_TAKE_PTR(name);
	rule->params[rule->n_params].value = HV_TAKE_PTR(value);
	rule->n_params++;
	return 0;
}

static int
parse_check(const xmlNode *n, struct hv_profile *p, size_t *cap,
	    const unsigned *first_line, const char *source,
	    struct hv_profile_error *err)
{
	const struct hv_check *c;
	struct hv_profile_rule *rule;
	_cleanup_free_ char *id = NULL, *sev = NULL;
	enum hv_severity severity = HV_SEVERITY_REQUIRED;
	bool oom = false, off;
	int r;

	id = attr(n, "id", &oom);
	sev = attr(n, "severity", &oom);
	if (oom)
		return -ENOMEM;
	if (!id || !sev) {	/* the schema requires both */
		err_set(err, source, node_line(n), true,
			"check without an id or a severity");
		return -EINVAL;
	}
	c = hv_check_find(id);
	if (!c) {
		err_set(err, source, node_line(n), true,
			"unknown check id '%s' (hwvirt explain lists them)", id);
		return -EINVAL;
	}
	off = strcmp(sev, "off") == 0;
	if (!off && hv_severity_from_string(sev, &severity) < 0) {
		err_set(err, source, node_line(n), true,
			"check %s: unknown severity '%s'", id, sev);
		return -EINVAL;
	}
	for (size_t i = 0; i < p->n_rules; i++)
		if (strcmp(p->rules[i].check_id, id) == 0) {
			err_set(err, source, node_line(n), true,
				"check %s is given twice (first on line %u)", id,
				first_line[i]);
			return -EINVAL;
		}
	if (HV_GROW(p->rules, *cap, p->n_rules + 1) < 0)
		return -ENOMEM;
	rule = &p->rules[p->n_rules];
	*rule = (struct hv_profile_rule){
		.severity = severity,
		.disabled = off,
	};
	rule->check_id = HV_TAKE_PTR(id);
	rule->from = p->name ? strdup(p->name) : NULL;
	rule->params = calloc(MAX_PARAMS, sizeof(*rule->params));
	p->n_rules++;	/* owned by p from here on, even half-filled */
	if (!rule->from || !rule->params)
		return -ENOMEM;

	for (const xmlNode *k = n->children; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (!is_element(k, "param")) {	/* the schema forbids it */
			err_set(err, source, node_line(k), true,
				"unexpected element <%s> in check %s", k->name, c->id);
			return -EINVAL;
		}
		r = parse_param(k, c, off, rule, source, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The document's elements into *p (name, title, description, rules). */
static int
parse_root(const xmlNode *root, struct hv_profile *p, const char *source,
	   struct hv_profile_error *err)
{
	unsigned *lines = NULL;
	size_t cap = 0, lcap = 0;
	bool oom = false;
	int r = 0;

	p->name = attr(root, "name", &oom);
	p->extends = attr(root, "extends", &oom);
	if (oom)
		return -ENOMEM;
	if (!p->name) {
		err_set(err, source, node_line(root), true, "profile without a name");
		return -EINVAL;
	}
	for (const xmlNode *n = root->children; n && r >= 0; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_element(n, "title")) {
			free(p->title);
			p->title = node_text(n);
			if (!p->title)
				r = -ENOMEM;
		} else if (is_element(n, "description")) {
			free(p->description);
			p->description = node_text(n);
			if (!p->description)
				r = -ENOMEM;
		} else if (is_element(n, "check")) {
			if (HV_GROW(lines, lcap, p->n_rules + 1) < 0) {
				r = -ENOMEM;
				break;
			}
			lines[p->n_rules] = node_line(n);
			r = parse_check(n, p, &cap, lines, source, err);
		} else {
			err_set(err, source, node_line(n), true,
				"unexpected element <%s>", n->name);
			r = -EINVAL;
		}
	}
	free(lines);
	if (r < 0)
		return r;
	if (p->n_rules > 1)
		qsort(p->rules, p->n_rules, sizeof(*p->rules), cmp_rule);
	return 0;
}

/* Validate doc against the compiled-in schema. */
static int
validate(xmlDocPtr doc, struct xml_errors *x, const char *source,
	 struct hv_profile_error *err)
{
	xmlSchemaParserCtxtPtr pctxt = NULL;
	xmlSchemaValidCtxtPtr vctxt = NULL;
	xmlSchemaPtr schema = NULL;
	const char *xsd;
	size_t len;
	int r, v;

	xsd = hv_builtin_data("schema/profile.xsd", &len);
	if (!xsd || len > INT_MAX) {
		err_set(err, source, 0, false, "the built-in profile schema is missing");
		return -EIO;
	}
	pctxt = xmlSchemaNewMemParserCtxt(xsd, (int)len);
	if (!pctxt)
		return -ENOMEM;
	xmlSchemaSetParserStructuredErrors(pctxt, schema_error, x);
	schema = xmlSchemaParse(pctxt);
	if (!schema) {
		err_set(err, source, 0, false, "the built-in profile schema does not "
			"compile: line %u: %s", x->line, x->msg);
		r = -EIO;
		goto out;
	}
	vctxt = xmlSchemaNewValidCtxt(schema);
	if (!vctxt) {
		r = -ENOMEM;
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(vctxt, schema_error, x);
	v = xmlSchemaValidateDoc(vctxt, doc);
	if (v == 0) {
		r = 0;
	} else if (v > 0) {
		err_set(err, source, x->line, true, "%s",
			x->seen ? x->msg : "does not match the profile schema");
		r = -EBADMSG;
	} else {
		err_set(err, source, 0, false, "schema validation failed");
		r = -EIO;
	}
out:
	xmlSchemaFreeValidCtxt(vctxt);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctxt);
	return r;
}

/*
 * Parse and validate one document. *ret_line is the root element's line
 * (where "extends" is written). Errors into err.
 */
static int
parse_document(const char *buf, size_t len, const char *source,
	       struct hv_profile **ret, unsigned *ret_line,
	       struct hv_profile_error *err)
{
	struct xml_errors x = { .source = source };
	xmlGenericErrorFunc old_generic = xmlGenericError;
	void *old_generic_ctx = xmlGenericErrorContext;
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	struct hv_profile *p = NULL;
	int r;

	if (len > HV_PROFILE_MAX_SIZE) {
		err_set(err, source, 0, true, "larger than %d bytes",
			HV_PROFILE_MAX_SIZE);
		return -EFBIG;
	}
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, generic_error);
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		r = -ENOMEM;
		goto out;
	}
	ctxt->_private = &x;
	ctxt->sax->serror = parser_error;
	ctxt->sax->internalSubset = on_doctype;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, source, NULL,
				XML_PARSE_NONET | XML_PARSE_BIG_LINES);
	if (x.doctype) {
		err_set(err, source, x.doctype_line, true,
			"a DOCTYPE is not accepted in a profile (no DTD, no entities)");
		r = -EBADMSG;
		goto out;
	}
	if (!doc || x.seen || !ctxt->wellFormed) {
		err_set(err, source, x.line, true, "malformed XML: %s",
			x.seen ? x.msg : "not well-formed");
		r = -EBADMSG;
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is_element(root, "profile")) {
		err_set(err, source, root ? node_line(root) : 0, true,
			"the root element is not <profile> in namespace %s",
			PROFILE_NS);
		r = -EBADMSG;
		goto out;
	}
	r = validate(doc, &x, source, err);
	if (r < 0)
		goto out;

	p = calloc(1, sizeof(*p));
	if (!p) {
		r = -ENOMEM;
		goto out;
	}
	r = parse_root(root, p, source, err);
	if (r < 0)
		goto out;
	*ret_line = node_line(root);
	*ret = HV_TAKE_PTR(p);
	r = 0;
out:
	if (r == -ENOMEM)
		err_set(err, source, 0, false, "out of memory");
	hv_profile_free(p);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
	return r;
}

/*
 * One document, "extends" not followed: the rules are the document's own,
 * in check-table order, "off" ones kept with disabled set. 0, or -EFBIG,
 * -EBADMSG (malformed, DOCTYPE, schema), -EINVAL (check id, parameter),
 * -ENOMEM, -EIO (the built-in schema is broken), with *err filled. The
 * caller frees *ret with hv_profile_free().
 */
int
hv_profile_parse(const char *buf, size_t len, const char *source,
		 struct hv_profile **ret, struct hv_profile_error *err)
{
	struct hv_profile *p = NULL;
	unsigned line;
	int r;

	r = parse_document(buf, len, source, &p, &line, err);
	if (r < 0)
		return r;
	p->source = strdup(source ? source : "");
	if (!p->source) {
		hv_profile_free(p);
		err_set(err, source, 0, false, "out of memory");
		return -ENOMEM;
	}
	*ret = p;
	return 0;
}

/* ---- finding and reading profiles ------------------------------------- */

/* Read a profile file: a regular file of at most HV_PROFILE_MAX_SIZE. */
static int
read_file(const char *path, char **ret, size_t *ret_len,
	  struct hv_profile_error *err)
{
	_cleanup_free_ char *buf = NULL;
	struct stat st;
	size_t len = 0;
	int fd, r = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = -errno;
		err_set(err, path, 0, true, "cannot open: %s", hv_strerror(r));
		return r;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		err_set(err, path, 0, true, "cannot stat: %s", hv_strerror(r));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(err, path, 0, true, "not a regular file");
		r = -EINVAL;
		goto out;
	}
	if (st.st_size > HV_PROFILE_MAX_SIZE) {
		err_set(err, path, 0, true, "larger than %d bytes", HV_PROFILE_MAX_SIZE);
		r = -EFBIG;
		goto out;
	}
	buf = malloc(HV_PROFILE_MAX_SIZE + 2);
	if (!buf) {
		r = -ENOMEM;
		goto out;
	}
	/* the file may grow while we read: stop one byte past the bound */
	while (len <= HV_PROFILE_MAX_SIZE) {
		ssize_t n = read(fd, buf + len, HV_PROFILE_MAX_SIZE + 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			err_set(err, path, 0, true, "cannot read: %s", hv_strerror(r));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > HV_PROFILE_MAX_SIZE) {
		err_set(err, path, 0, true, "larger than %d bytes", HV_PROFILE_MAX_SIZE);
		r = -EFBIG;
		goto out;
	}
	buf[len] = '\0';
	*ret = HV_TAKE_PTR(buf);
	*ret_len = len;
out:
	close(fd);
	return r;
}

static bool
is_path(const char *s)
{
	size_t l = strlen(s);

	return strchr(s, '/') || (l >= 4 && strcmp(s + l - 4, ".xml") == 0);
}

/* A profile name: letters, digits, '.', '_', '-', not starting with '.'. */
static bool
valid_name(const char *s)
{
	size_t l = strlen(s);

	if (l == 0 || l > MAX_NAME || s[0] == '.')
		return false;
	for (size_t i = 0; i < l; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' ||
		      s[i] == '-'))
			return false;
	return true;
}

/* Where a reference leads. */
struct source {
	char *path;		/* a file; NULL for a built-in */
	const char *builtin;	/* the built-in's data */
	size_t builtin_len;
	char *label;		/* for errors and p->source */
	char *identity;		/* realpath, or "built-in:NAME": cycles */
	char *dir;		/* the file's directory, for relative extends */
};

static void
source_clear(struct source *s)
{
	free(s->path);
	free(s->label);
	free(s->identity);
	free(s->dir);
	*s = (struct source){ 0 };
}

static int
source_builtin(const char *name, struct source *s)
{
	_cleanup_free_ char *key = hv_asprintf("profiles/%s.xml", name);

	if (!key)
		return -ENOMEM;
	s->builtin = hv_builtin_data(key, &s->builtin_len);
	if (!s->builtin)
		return -ENOENT;
	s->label = hv_asprintf("built-in profile %s", name);
	s->identity = hv_asprintf("built-in:%s", name);
	return s->label && s->identity ? 0 : -ENOMEM;
}

static int
source_file(const char *path, struct source *s, struct hv_profile_error *err)
{
	char *slash;
	char *real;

	real = realpath(path, NULL);
	if (!real) {
		int r = errno == ENOMEM ? -ENOMEM : -errno;

		err_set(err, path, 0, true, "cannot open: %s", hv_strerror(r));
		return r;
	}
	s->identity = real;
	s->path = strdup(path);
	s->label = strdup(path);
	s->dir = strdup(path);
	if (!s->path || !s->label || !s->dir)
		return -ENOMEM;
	slash = strrchr(s->dir, '/');
	if (slash)
		slash[slash == s->dir ? 1 : 0] = '\0';
	else
		snprintf(s->dir, strlen(s->dir) + 1, ".");
	return 0;
}

/*
 * Resolve a reference: a path (relative ones to dir, else to the working
 * directory), or a name: the site profile, else the built-in. A site
 * profile that extends its own name gets the built-in of that name.
 */
static int
resolve(const char *ref, const char *dir, const char *self_identity,
	struct source *s, const char *from, unsigned from_line,
	struct hv_profile_error *err)
{
	_cleanup_free_ char *path = NULL;
	int r;

	if (is_path(ref)) {
		if (ref[0] != '/' && dir)
			path = hv_asprintf("%s/%s", dir, ref);
		else
			path = strdup(ref);
		if (!path)
			return -ENOMEM;
		r = source_file(path, s, err);
		if (r < 0 && from && err) {
			/* name the file that referred to it */
			char what[sizeof(err->msg)];

			snprintf(what, sizeof(what), "extends %.200s: %.180s", path,
				 err->msg);
			err_set(err, from, from_line, true, "%s", what);
		}
		return r;
	}
	if (!valid_name(ref)) {
		err_set(err, from, from_line, true, "'%s' is not a profile name", ref);
		return -ENOENT;
	}
	path = hv_asprintf("%s/hwvirt/profiles/%s.xml", HV_SYSCONFDIR, ref);
	if (!path)
		return -ENOMEM;
	if (access(path, F_OK) == 0) {
		_cleanup_free_ char *real = realpath(path, NULL);

		if (!real || !hv_streq(real, self_identity))
			return source_file(path, s, err);
		/* a site profile extending its own name: the built-in */
	} else if (errno != ENOENT) {
		r = -errno;
		err_set(err, path, 0, true, "cannot open: %s", hv_strerror(r));
		return r;
	}
	r = source_builtin(ref, s);
	if (r == -ENOENT) {
		char names[200];
		size_t o = 0;

		names[0] = '\0';
		for (size_t i = 0; i < hv_n_builtin_profiles && o < sizeof(names); i++)
			o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
					      i ? ", " : "", hv_builtin_profiles[i]);
		err_set(err, from, from_line, true,
			"unknown profile '%s' (built-in: %s; site profiles go in "
			"%s/hwvirt/profiles)", ref, names, HV_SYSCONFDIR);
	}
	return r;
}

/* Copy a rule, with from. */
static int
rule_copy(const struct hv_profile_rule *src, const char *from,
	  struct hv_profile_rule *dst)
{
	*dst = (struct hv_profile_rule){
		.severity = src->severity,
		.disabled = src->disabled,
	};
	dst->check_id = strdup(src->check_id);
	dst->from = strdup(from ? from : src->from ? src->from : "");
	if (src->n_params)
		dst->params = calloc(src->n_params, sizeof(*dst->params));
	if (!dst->check_id || !dst->from || (src->n_params && !dst->params))
		return -ENOMEM;
	for (size_t k = 0; k < src->n_params; k++) {
		dst->params[k].name = strdup(src->params[k].name);
		dst->params[k].value = strdup(src->params[k].value);
		dst->n_params++;
		if (!dst->params[k].name || !dst->params[k].value)
			return -ENOMEM;
	}
	return 0;
}

/*
 * The rules of p over those of base: p's rule for a check replaces the
 * inherited one, severity="off" removes it. Result in check-table order,
 * disabled rules dropped. p->rules is replaced.
 */
static int
merge_rules(struct hv_profile *p, const struct hv_profile *base)
{
	struct hv_profile_rule *out;
	size_t n = 0, total = (base ? base->n_rules : 0) + p->n_rules;
	int r = 0;

	out = calloc(total ? total : 1, sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (size_t i = 0; base && i < base->n_rules && r >= 0; i++) {
		bool replaced = false;

		for (size_t k = 0; k < p->n_rules; k++)
			if (strcmp(p->rules[k].check_id, base->rules[i].check_id) == 0)
				replaced = true;
		if (replaced || base->rules[i].disabled)
			continue;
		r = rule_copy(&base->rules[i], NULL, &out[n]);
		n++;
	}
	for (size_t k = 0; k < p->n_rules && r >= 0; k++) {
		if (p->rules[k].disabled)
			continue;
		r = rule_copy(&p->rules[k], p->name, &out[n]);
		n++;
	}
	if (r < 0) {
		rules_free(out, n);
		return r;
	}
	if (n > 1)
		qsort(out, n, sizeof(*out), cmp_rule);
	rules_free(p->rules, p->n_rules);
	p->rules = out;
	p->n_rules = n;
	return 0;
}

/* The profiles being loaded, outermost first: for cycles and depth. */
struct chain {
	struct hv_strv ids;		/* source identities */
	struct hv_strv labels;		/* the same, as a user names them */
};

static int
load_rec(const char *ref, const char *dir, const char *self_identity,
	 const char *from, unsigned from_line, struct chain *stack,
	 struct hv_profile **ret, struct hv_profile_error *err)
{
	struct source s = { 0 };
	struct hv_profile *p = NULL, *base = NULL;
	_cleanup_free_ char *buf = NULL, *chain = NULL;
	const char *data;
	size_t len = 0;
	unsigned line = 0;
	int r;

	r = resolve(ref, dir, self_identity, &s, from, from_line, err);
	if (r < 0)
		goto out;
	if (hv_strv_contains(&stack->ids, s.identity)) {
		r = hv_strv_add(&stack->labels, s.label);
		chain = r == 0 ? hv_strv_join(&stack->labels, " -> ") : NULL;
		if (!chain) {
			r = -ENOMEM;
			goto out;
		}
		err_set(err, from, from_line, true, "extends cycle: %s", chain);
		r = -ELOOP;
		goto out;
	}
	if (stack->ids.n >= HV_PROFILE_MAX_DEPTH) {
		err_set(err, from, from_line, true,
			"extends chain deeper than %d profiles", HV_PROFILE_MAX_DEPTH);
		r = -ELOOP;
		goto out;
	}
	if (hv_strv_add(&stack->ids, s.identity) < 0 ||
	    hv_strv_add(&stack->labels, s.label) < 0) {
		r = -ENOMEM;
		goto out;
	}

	if (s.path) {
		r = read_file(s.path, &buf, &len, err);
		if (r < 0)
			goto out;
		data = buf;
	} else {
		data = s.builtin;
		len = s.builtin_len;
	}
	r = parse_document(data, len, s.label, &p, &line, err);
	if (r < 0)
		goto out;
	p->source = strdup(s.path ? s.path : "built-in");
	if (!p->source) {
		r = -ENOMEM;
		goto out;
	}

	if (p->extends) {
		r = load_rec(p->extends, s.dir, s.identity, s.label, line, stack,
			     &base, err);
		if (r < 0)
			goto out;
	}
	r = merge_rules(p, base);
	if (r < 0)
		goto out;
	*ret = HV_TAKE_PTR(p);
out:
	if (r == -ENOMEM)
		err_set(err, from ? from : ref, 0, false, "out of memory");
	hv_profile_free(base);
	hv_profile_free(p);
	source_clear(&s);
	return r;
}

/*
 * A profile by name or path with its "extends" chain resolved: rules
 * inherited and own, in check-table order, "off" ones dropped. 0, or the
 * errors of hv_profile_parse() and -ENOENT (no such name or file), -EINVAL
 * (not a regular file), -ELOOP (a cycle, or deeper than
 * HV_PROFILE_MAX_DEPTH), with *err naming the file and line. The caller
 * frees *ret with hv_profile_free().
 */
int
hv_profile_load(const char *name_or_path, struct hv_profile **ret,
		struct hv_profile_error *err)
{
	struct chain stack = { 0 };
	struct hv_profile *p = NULL;
	int r;

	if (err)
		*err = (struct hv_profile_error){ 0 };
	if (!name_or_path || !name_or_path[0]) {
		err_set(err, NULL, 0, true, "no profile named");
		return -ENOENT;
	}
	r = load_rec(name_or_path, NULL, NULL, NULL, 0, &stack, &p, err);
	hv_strv_clear(&stack.ids);
	hv_strv_clear(&stack.labels);
	if (r < 0)
		return r;
	*ret = p;
	return 0;
}
