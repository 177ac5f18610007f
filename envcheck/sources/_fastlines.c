/* The parsers' fast paths in C: runs of plain lines straight to Entry objects.
 *
 * Each dialect parser in envcheck/sources/ has an exact reader (a faithful
 * port of its parser, one binding at a time) and a fast path for plain
 * lines, which read the same way wherever they stand in a file.  The fast
 * path is written twice: as a regex (``_FAST`` in each parser, with one
 * ``findall``) and here, for speed on large files.  Both accept exactly the
 * same lines and produce the same entries; the tests hold them, and the exact
 * readers, to the same output.  Without this extension (no compiler at
 * install time) the parsers use their regex.
 *
 * scan_<dialect>(text, pos, line, path, entry_type, out) -> (pos, line)
 *   pos, line: a line start in ``text`` and its 1-based number.
 *   Appends entry_type(key, value, path, line, col, quote, end_line, export)
 *   to ``out`` for each plain binding, skips blank and comment lines, and
 *   returns the start and number of the first other line: one that is not
 *   plain, or has no "\n" (the last line), or len(text).
 *
 * dumps_indented(obj, encode_string) -> str: the reporters' JSON writer
 * (see its section below); it lives here to keep one optional extension.
 *
 * may_be_stand_in(text) -> bool: the classifier's pre-test for a template's
 * stand-in (see its section below), with the words set_stand_in_words() gave.
 *
 * quiet_value(text) -> bool: True only for a value the classifier surely finds
 * no stand-in, key shape or zero-width character in (see its section below);
 * quiet_entry(key, value): that, and a name neither well-known nor a secret's.
 *
 * first_facts(value) -> bool | None: the classifier's first facts of most values.
 *
 * line_ends(text) -> bytes: where each line after the first starts (LineIndex).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define CH(i) PyUnicode_READ(kind, data, (i))

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
    PyObject *text, *path, *entry_type, *out;
} Scan;

/* One plain binding, as a dialect's fast path reads it. */
typedef struct {
    Py_ssize_t key_start, key_end, value_start, value_end, next, newlines, col;
    Py_UCS4 quote; /* 0: unquoted */
    int export;
    int strip; /* unquoted value: 1 strip JavaScript whitespace, 2 strip spaces at the end */
    int unescape_newlines; /* util.parseEnv: "\n" in a double-quoted value is a newline */
} Binding;

/* What a dialect's reader returns for the line at ``pos``. */
enum { PLAIN, SKIP, OTHER };

static int is_key_char(Py_UCS4 c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
}

static int is_ident_char(Py_UCS4 c, int first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (!first && c >= '0' && c <= '9');
}

/* JavaScript's \s: what String.prototype.trim strips. */
static int is_js_space(Py_UCS4 c) {
    return c == '\t' || c == '\n' || c == 0x0b || c == 0x0c || c == '\r' || c == ' ' ||
           c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
           c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff;
}

static int is_js_line_end(Py_UCS4 c) {
    return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

/* The "\n" at or after ``i`` on this line, or -1 when the text ends first. */
static Py_ssize_t newline_at(const Scan *s, Py_ssize_t i) {
    int kind = s->kind;
    const void *data = s->data;
    while (i < s->n && CH(i) != '\n') i++;
    return i < s->n ? i : -1;
}

static Py_ssize_t skip_blanks(const Scan *s, Py_ssize_t i) {
    int kind = s->kind;
    const void *data = s->data;
    while (i < s->n && (CH(i) == ' ' || CH(i) == '\t')) i++;
    return i;
}

/* Whether text[start:end] is the ASCII ``word``. */
static int is_word(const Scan *s, Py_ssize_t start, Py_ssize_t end, const char *word) {
    int kind = s->kind;
    const void *data = s->data;
    Py_ssize_t len = (Py_ssize_t)strlen(word);
    if (end - start != len || end > s->n) return 0;
    for (Py_ssize_t j = 0; j < len; j++)
        if (CH(start + j) != (Py_UCS4)(unsigned char)word[j]) return 0;
    return 1;
}

/* "export" at ``i`` followed by one of ``after`` (the text goes on). */
static int starts_with_export(const Scan *s, Py_ssize_t i, const char *after) {
    int kind = s->kind;
    const void *data = s->data;
    if (i + 6 >= s->n || !is_word(s, i, i + 6, "export")) return 0;
    Py_UCS4 c = CH(i + 6);
    return c < 128 && c != 0 && strchr(after, (int)c) != NULL;
}

/* ``(export[ \t]+)?([A-Za-z0-9_.-]+)=`` at line start ``pos``, as python-dotenv's
   and dotenv's fast paths both read it (after "export" and blanks a key must
   follow).  Fills the key, col and export of ``b``; returns the offset of the
   value, or -1 when the line does not start so or the text ends there. */
static Py_ssize_t read_dotenv_key(const Scan *s, Py_ssize_t pos, Binding *b) {
    int kind = s->kind;
    const void *data = s->data;
    Py_ssize_t n = s->n, i = pos;
    b->export = starts_with_export(s, i, " \t");
    if (b->export) i = skip_blanks(s, i + 6);
    b->col = i - pos + 1;
    b->key_start = i;
    while (i < n && is_key_char(CH(i))) i++;
    if (i == b->key_start || i >= n || CH(i) != '=') return -1;
    b->key_end = i++;
    return i < n ? i : -1;
}

/* python-dotenv, as python_parser._FAST reads it. */
static int read_python(const Scan *s, Py_ssize_t pos, Binding *b) {
    int kind = s->kind;
    const void *data = s->data;
    Py_ssize_t n = s->n, i, k = skip_blanks(s, pos);
    if (k < n && (CH(k) == '\n' || CH(k) == '#')) {
        k = newline_at(s, k);
        if (k < 0) return OTHER;
        b->next = k + 1;
        return SKIP;
    }
    i = read_dotenv_key(s, pos, b);
    if (i < 0) return OTHER;
    Py_UCS4 c = CH(i);
    b->newlines = 0;
    b->strip = 0;
    b->unescape_newlines = 0;
    if (c == '"' || c == '\'') {
        /* "[^"\\]*" or '[^'\\]*', possibly over several lines */
        for (k = i + 1; k < n && CH(k) != c; k++) {
            if (CH(k) == '\\') return OTHER;
            if (CH(k) == '\n') b->newlines++;
        }
        if (k >= n) return OTHER;
        b->value_start = i + 1;
        b->value_end = k;
        b->quote = c;
        k = skip_blanks(s, k + 1);
    } else if (c == '\n') {
        b->value_start = b->value_end = k = i;
        b->quote = 0;
    } else if (c == '#' || Py_UNICODE_ISSPACE(c)) {
        return OTHER;
    } else {
        /* Unquoted: the rest of the line; python-dotenv cuts "\s+#.*" and strips. */
        k = newline_at(s, i);
        if (k < 0) return OTHER;
        Py_ssize_t end = k;
        for (Py_ssize_t m = i + 1; m < k; m++) {
            if (CH(m) == '#' && Py_UNICODE_ISSPACE(CH(m - 1))) {
                end = m - 1;
                break;
            }
        }
        while (end > i && Py_UNICODE_ISSPACE(CH(end - 1))) end--;
        b->value_start = i;
        b->value_end = end;
        b->quote = 0;
    }
    if (k < n && CH(k) == '#') k = newline_at(s, k);
    if (k < 0 || k >= n || CH(k) != '\n') return OTHER;
    b->next = k + 1;
    return PLAIN;
}

/* Node's dotenv.parse, as node_parser._FAST reads it. */
static int read_node(const Scan *s, Py_ssize_t pos, Binding *b) {
    int kind = s->kind;
    const void *data = s->data;
    Py_ssize_t n = s->n, i, k = skip_blanks(s, pos);
    if (k < n && (CH(k) == '\n' || CH(k) == '#')) {
        while (k < n && !is_js_line_end(CH(k))) k++;
        if (k >= n || CH(k) != '\n') return OTHER;
        b->next = k + 1;
        return SKIP;
    }
    i = read_dotenv_key(s, pos, b);
    if (i < 0 || is_word(s, b->key_start, b->key_end, "__proto__")) return OTHER;
    Py_UCS4 c = CH(i);
    b->newlines = 0;
    b->strip = 0;
    b->unescape_newlines = 0;
    if (c == '"' || c == '\'' || c == '`') {
        int equals = 0;
        for (k = i + 1; k < n && CH(k) != c; k++) {
            Py_UCS4 d = CH(k);
            if (d == '\\' || d == 0x2028 || d == 0x2029) return OTHER;
            if (d == '\n') b->newlines++;
            if (d == '=') equals = 1;
        }
        if (k >= n || (b->newlines && equals)) return OTHER;
        b->value_start = i + 1;
        b->value_end = k;
        b->quote = c;
        k = skip_blanks(s, k + 1);
    } else if (Py_UNICODE_ISSPACE(c) || is_js_space(c) || c == '\'' || c == '"' || c == '`' ||
               c == '#') {
        return OTHER;
    } else {
        for (k = i; k < n && CH(k) != '#' && CH(k) != '\n' && CH(k) != 0x2028 && CH(k) != 0x2029;)
            k++;
        b->value_start = i;
        b->value_end = k;
        b->quote = 0;
        b->strip = 1;
    }
    if (k < n && CH(k) == '#')
        while (k < n && !is_js_line_end(CH(k))) k++;
    if (k >= n || CH(k) != '\n') return OTHER;
    /* dotenv's match may run on over blank lines into a "#" comment and stop
       inside it at a U+2028/U+2029: then the binding is not plain. */
    Py_ssize_t m = k + 1;
    while (m < n && is_js_space(CH(m))) m++;
    if (m < n && CH(m) == '#') {
        while (m < n && !is_js_line_end(CH(m))) m++;
        if (m < n && (CH(m) == 0x2028 || CH(m) == 0x2029)) return OTHER;
    }
    b->next = k + 1;
    return PLAIN;
}

/* Node 20's util.parseEnv, as nodeutil_parser._FAST reads it. */
static int read_nodeutil_key(const Scan *s, Py_ssize_t i, Binding *b) {
    int kind = s->kind;
    const void *data = s->data;
    Py_ssize_t n = s->n, k = i;
    if (k >= n || !is_ident_char(CH(k), 1)) return 0;
    while (k < n && is_ident_char(CH(k), 0)) k++;
    b->key_start = i;
    b->key_end = k;
    while (k < n && CH(k) == ' ') k++;
    if (k >= n || CH(k) != '=') return 0;
    if (is_word(s, b->key_start, b->key_end, "__proto__")) return 0;
    b->value_start = k + 1; /* where the value's spaces start */
    return 1;
}

static int read_nodeutil(const Scan *s, Py_ssize_t pos, Binding *b) {
    int kind = s->kind;
    const void *data = s->data;
    Py_ssize_t n = s->n, i = pos, k;
    if (CH(pos) == '\n' || CH(pos) == '#') {
        k = newline_at(s, pos);
        if (k < 0) return OTHER;
        b->next = k + 1;
        return SKIP;
    }
    /* (export )? then the key; without the prefix if the key fails after it */
    b->export = starts_with_export(s, i, " ") && read_nodeutil_key(s, i + 7, b);
    if (!b->export && !read_nodeutil_key(s, i, b)) return OTHER;
    b->col = b->key_start - pos + 1;
    i = b->value_start;
    while (i < n && CH(i) == ' ') i++;
    if (i >= n) return OTHER;
    Py_UCS4 c = CH(i);
    b->newlines = 0;
    b->strip = 0;
    b->unescape_newlines = 0;
    b->quote = 0;
    if (c == '"' || c == '\'' || c == '`') {
        /* One line: [^q\n]* (for '"': with \x pairs, not ending in a backslash);
           else over lines: [^q=] (for '"': and no backslash). */
        int one_line = 1;
        for (k = i + 1; k < n && CH(k) != c; k++) {
            Py_UCS4 d = CH(k);
            if (d == '\n') {
                one_line = 0;
                break;
            }
            if (c == '"' && d == '\\') {
                if (k + 1 >= n || CH(k + 1) == '"' || CH(k + 1) == '\n') {
                    one_line = 0;
                    break;
                }
                k++;
            }
        }
        if (one_line && (k >= n || (c == '"' && CH(k - 1) == '\\' && k - 1 > i))) one_line = 0;
        if (!one_line) {
            for (k = i + 1; k < n && CH(k) != c; k++) {
                Py_UCS4 d = CH(k);
                if (d == '=' || (c == '"' && d == '\\')) return OTHER;
                if (d == '\n') b->newlines++;
            }
            if (k >= n) return OTHER;
        }
        b->value_start = i + 1;
        b->value_end = k;
        b->quote = c;
        b->unescape_newlines = c == '"';
        k++;
        while (k < n && CH(k) == ' ') k++;
        if (k < n && CH(k) == '#') k = newline_at(s, k);
    } else {
        /* ([^\s"'`#][^\n#]*|) then a "#" comment only after a space */
        k = i;
        if (!(Py_UNICODE_ISSPACE(c) || c == '"' || c == '\'' || c == '`' || c == '#'))
            while (k < n && CH(k) != '\n' && CH(k) != '#') k++;
        b->value_start = i;
        b->value_end = k;
        b->strip = 2;
        if (k < n && CH(k) == '#') {
            if (CH(k - 1) != ' ') return OTHER;
            k = newline_at(s, k);
        }
    }
    if (k < 0 || k >= n || CH(k) != '\n') return OTHER;
    b->next = k + 1;
    return PLAIN;
}

static PyObject *make_entry(const Scan *s, const Binding *b, Py_ssize_t line) {
    int kind = s->kind;
    const void *data = s->data;
    Py_ssize_t start = b->value_start, end = b->value_end;
    if (b->strip == 1) {
        while (start < end && is_js_space(CH(start))) start++;
        while (end > start && is_js_space(CH(end - 1))) end--;
    } else if (b->strip == 2) {
        while (end > start && CH(end - 1) == ' ') end--;
    }
    PyObject *key = PyUnicode_Substring(s->text, b->key_start, b->key_end);
    PyObject *value = key ? PyUnicode_Substring(s->text, start, end) : NULL;
    if (value && b->unescape_newlines && PyUnicode_FindChar(value, '\\', 0, end - start, 1) >= 0) {
        PyObject *escaped = PyUnicode_FromString("\\n");
        PyObject *newline = PyUnicode_FromString("\n");
        PyObject *replaced =
            escaped && newline ? PyUnicode_Replace(value, escaped, newline, -1) : NULL;
        Py_XDECREF(escaped);
        Py_XDECREF(newline);
        Py_SETREF(value, replaced);
    }
    PyObject *quote = b->quote ? PyUnicode_FromOrdinal((int)b->quote) : PyUnicode_New(0, 0);
    PyObject *line_o = PyLong_FromSsize_t(line);
    PyObject *col_o = PyLong_FromSsize_t(b->col);
    /* A one-line binding ends on its own line: the same int object (2 MiB per 100k lines). */
    PyObject *end_o = b->newlines ? PyLong_FromSsize_t(line + b->newlines) : line_o;
    if (!b->newlines) Py_XINCREF(line_o);
    PyObject *entry = NULL;
    if (value && quote && line_o && col_o && end_o) {
        PyObject *args[8] = {key,   value, s->path, line_o, col_o,
                             quote, end_o, b->export ? Py_True : Py_False};
        entry = PyObject_Vectorcall(s->entry_type, args, 8, NULL);
    }
    Py_XDECREF(key);
    Py_XDECREF(value);
    Py_XDECREF(quote);
    Py_XDECREF(line_o);
    Py_XDECREF(col_o);
    Py_XDECREF(end_o);
    return entry;
}

typedef int (*Reader)(const Scan *, Py_ssize_t, Binding *);

static PyObject *scan(PyObject *args, Reader read) {
    Scan s;
    Py_ssize_t pos, line;
    if (!PyArg_ParseTuple(args, "UnnUOO!", &s.text, &pos, &line, &s.path, &s.entry_type,
                          &PyList_Type, &s.out))
        return NULL;
    s.kind = PyUnicode_KIND(s.text);
    s.data = PyUnicode_DATA(s.text);
    s.n = PyUnicode_GET_LENGTH(s.text);
    if (pos < 0 || pos > s.n) {
        PyErr_SetString(PyExc_ValueError, "pos is outside the text");
        return NULL;
    }
    Binding b;
    while (pos < s.n) {
        int found = read(&s, pos, &b);
        if (found == OTHER) break;
        if (found == PLAIN) {
            PyObject *entry = make_entry(&s, &b, line);
            if (entry == NULL) return NULL;
            int failed = PyList_Append(s.out, entry);
            Py_DECREF(entry);
            if (failed) return NULL;
            line += b.newlines;
        }
        pos = b.next;
        line++;
    }
    return Py_BuildValue("nn", pos, line);
}

static PyObject *scan_python(PyObject *self, PyObject *args) { return scan(args, read_python); }
static PyObject *scan_node(PyObject *self, PyObject *args) { return scan(args, read_node); }
static PyObject *scan_nodeutil(PyObject *self, PyObject *args) {
    return scan(args, read_nodeutil);
}

/* --- JSON with indent=2, for the reporters ------------------------------
 *
 * dumps_indented(obj, encode_string) -> str is exactly
 * json.dumps(obj, indent=2, ensure_ascii=False) for documents made of dict
 * (str keys), list, tuple, str, int, float, bool and None: the stdlib runs
 * its C encoder only without indent, and its pure-Python one costs seconds
 * on a report of 100k keys.  ``encode_string`` is json.encoder's
 * encode_basestring (the stdlib's own C escaper), so strings are escaped by
 * the same code.  Anything else (another type, a non-str key, a subclass,
 * nesting past 512 levels) raises NotImplementedError and the caller falls
 * back to json.dumps, which then gives its own answer or error.
 */
#if PY_VERSION_HEX < 0x030E0000 && !defined(Py_LIMITED_API)
#define HAVE_JSON_WRITER 1

typedef struct {
    _PyUnicodeWriter w;
    PyObject *encode;
} Json;

static int json_any(Json *j, PyObject *o, int level);

static int json_unsupported(void) {
    PyErr_SetString(PyExc_NotImplementedError, "not a plain JSON document");
    return -1;
}

static int json_newline(Json *j, int level) {
    if (_PyUnicodeWriter_WriteChar(&j->w, '\n') < 0) return -1;
    for (int i = 0; i < level; i++)
        if (_PyUnicodeWriter_WriteASCIIString(&j->w, "  ", 2) < 0) return -1;
    return 0;
}

static int json_string(Json *j, PyObject *s) {
    PyObject *quoted = PyObject_CallOneArg(j->encode, s);
    if (quoted == NULL) return -1;
    int failed = !PyUnicode_Check(quoted) || _PyUnicodeWriter_WriteStr(&j->w, quoted) < 0;
    Py_DECREF(quoted);
    return failed ? -1 : 0;
}

static int json_repr(Json *j, PyObject *o) {
    PyObject *text = PyObject_Repr(o);
    if (text == NULL) return -1;
    int failed = _PyUnicodeWriter_WriteStr(&j->w, text) < 0;
    Py_DECREF(text);
    return failed ? -1 : 0;
}

static int json_items(Json *j, PyObject *seq, int level) {
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    PyObject **items = PySequence_Fast_ITEMS(seq);
    if (n == 0) return _PyUnicodeWriter_WriteASCIIString(&j->w, "[]", 2);
    if (_PyUnicodeWriter_WriteChar(&j->w, '[') < 0) return -1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (i && _PyUnicodeWriter_WriteChar(&j->w, ',') < 0) return -1;
        if (json_newline(j, level + 1) < 0 || json_any(j, items[i], level + 1) < 0) return -1;
    }
    if (json_newline(j, level) < 0) return -1;
    return _PyUnicodeWriter_WriteChar(&j->w, ']');
}

static int json_dict(Json *j, PyObject *d, int level) {
    if (PyDict_GET_SIZE(d) == 0) return _PyUnicodeWriter_WriteASCIIString(&j->w, "{}", 2);
    if (_PyUnicodeWriter_WriteChar(&j->w, '{') < 0) return -1;
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *value;
    while (PyDict_Next(d, &pos, &key, &value)) {
        if (!PyUnicode_CheckExact(key)) return json_unsupported();
        if (i++ && _PyUnicodeWriter_WriteChar(&j->w, ',') < 0) return -1;
        if (json_newline(j, level + 1) < 0 || json_string(j, key) < 0) return -1;
        if (_PyUnicodeWriter_WriteASCIIString(&j->w, ": ", 2) < 0) return -1;
        Py_INCREF(value); /* the dict is not ours: keep the value alive while writing it */
        int failed = json_any(j, value, level + 1);
        Py_DECREF(value);
        if (failed < 0) return -1;
    }
    if (json_newline(j, level) < 0) return -1;
    return _PyUnicodeWriter_WriteChar(&j->w, '}');
}

static int json_any(Json *j, PyObject *o, int level) {
    if (PyUnicode_CheckExact(o)) return json_string(j, o);
    if (o == Py_None) return _PyUnicodeWriter_WriteASCIIString(&j->w, "null", 4);
    if (o == Py_True) return _PyUnicodeWriter_WriteASCIIString(&j->w, "true", 4);
    if (o == Py_False) return _PyUnicodeWriter_WriteASCIIString(&j->w, "false", 5);
    if (PyLong_CheckExact(o)) return json_repr(j, o);
    if (PyFloat_CheckExact(o)) {
        double x = PyFloat_AS_DOUBLE(o);
        if (Py_IS_NAN(x)) return _PyUnicodeWriter_WriteASCIIString(&j->w, "NaN", 3);
        if (Py_IS_INFINITY(x))
            return x > 0 ? _PyUnicodeWriter_WriteASCIIString(&j->w, "Infinity", 8)
                         : _PyUnicodeWriter_WriteASCIIString(&j->w, "-Infinity", 9);
        return json_repr(j, o);
    }
    if (level >= 512) return json_unsupported(); /* maybe a cycle: json.dumps says which */
    if (PyDict_CheckExact(o)) return json_dict(j, o, level);
    if (PyList_CheckExact(o) || PyTuple_CheckExact(o)) return json_items(j, o, level);
    return json_unsupported();
}

static PyObject *dumps_indented(PyObject *self, PyObject *args) {
    Json j;
    PyObject *obj;
    if (!PyArg_ParseTuple(args, "OO", &obj, &j.encode)) return NULL;
    _PyUnicodeWriter_Init(&j.w);
    j.w.overallocate = 1;
    if (json_any(&j, obj, 0) < 0) {
        _PyUnicodeWriter_Dealloc(&j.w);
        return NULL;
    }
    return _PyUnicodeWriter_Finish(&j.w);
}
#endif

/* The classifier's pre-test ------------------------------------------------
 *
 * envcheck.schema.values.is_placeholder asks every distinct value of a file
 * whether it is a template's stand-in.  Most values are not, and say so only
 * after a dozen Python tests.  may_be_stand_in(text) runs those tests in one
 * call and is False only when is_placeholder's tests before its vendor-prefix
 * and URL ones are all False for ``text`` (stripped):
 *   non-ASCII text: True (case folding is the regexes' business);
 *   "EXAMPLE" in it; _repeats: "123456" in it, a word said twice, the first
 *   four characters again at 1..8 (n >= 12);
 *   a first or last character of the frame (text.strip(frame) != text);
 *   lowered: a first character of `firsts`, a start of `starts`, an ending
 *   of `ends`, or any of `contains` in it (_is_stand_in's pre-test).
 * True means "ask Python".  The words come from values.py (one place), given
 * once by set_stand_in_words(firsts, frame, starts, ends, contains).
 * tests/test_classify.py holds it to the Python tests.
 */
#define MAX_WORDS 128
typedef struct {
    Py_ssize_t count;
    char *word[MAX_WORDS];
    Py_ssize_t len[MAX_WORDS];
} Words;

static char stand_in_firsts[128], stand_in_frame[128];
static Words stand_in_starts, stand_in_ends, stand_in_contains;
static int stand_in_ready = 0;

static int set_words(Words *w, PyObject *seq) {
    PyObject *fast = PySequence_Fast(seq, "a sequence of ASCII words");
    if (!fast) return -1;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    if (n > MAX_WORDS) {
        Py_DECREF(fast);
        PyErr_SetString(PyExc_ValueError, "too many words");
        return -1;
    }
    for (Py_ssize_t i = 0; i < w->count; i++) PyMem_Free(w->word[i]);
    w->count = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t len;
        const char *utf8 = PyUnicode_AsUTF8AndSize(PySequence_Fast_GET_ITEM(fast, i), &len);
        if (!utf8) {
            Py_DECREF(fast);
            return -1;
        }
        char *copy = PyMem_Malloc(len + 1);
        if (!copy) {
            Py_DECREF(fast);
            PyErr_NoMemory();
            return -1;
        }
        memcpy(copy, utf8, len + 1);
        w->word[w->count] = copy;
        w->len[w->count++] = len;
    }
    Py_DECREF(fast);
    return 0;
}

static int set_chars(char *table, PyObject *chars) {
    Py_ssize_t len;
    const char *utf8 = PyUnicode_AsUTF8AndSize(chars, &len);
    if (!utf8) return -1;
    memset(table, 0, 128);
    for (Py_ssize_t i = 0; i < len; i++) {
        if ((unsigned char)utf8[i] >= 128) {
            PyErr_SetString(PyExc_ValueError, "ASCII characters only");
            return -1;
        }
        table[(unsigned char)utf8[i]] = 1;
    }
    return 0;
}

static PyObject *set_stand_in_words(PyObject *self, PyObject *args) {
    PyObject *firsts, *frame, *starts, *ends, *contains;
    if (!PyArg_ParseTuple(args, "UUOOO", &firsts, &frame, &starts, &ends, &contains)) return NULL;
    if (set_chars(stand_in_firsts, firsts) < 0 || set_chars(stand_in_frame, frame) < 0 ||
        set_words(&stand_in_starts, starts) < 0 || set_words(&stand_in_ends, ends) < 0 ||
        set_words(&stand_in_contains, contains) < 0) {
        stand_in_ready = 0;
        return NULL;
    }
    stand_in_ready = 1;
    Py_RETURN_NONE;
}

static int has(const char *s, Py_ssize_t n, const char *w, Py_ssize_t m) {
    if (m == 0) return 1;
    for (Py_ssize_t i = 0; i + m <= n; i++)
        if (s[i] == w[0] && memcmp(s + i, w, m) == 0) return 1;
    return 0;
}

static int is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static int may_be_stand_in_ascii(const char *s, Py_ssize_t n) {
    if (has(s, n, "EXAMPLE", 7) || has(s, n, "123456", 6)) return 1;
    if (n % 2 == 0 && n >= 8) { /* a word said twice: polarpolar */
        Py_ssize_t half = n / 2, i = 0;
        while (i < half && is_alpha(s[i])) i++;
        if (i == half && memcmp(s, s + half, half) == 0) return 1;
    }
    if (n >= 12) /* text.find(text[:4], 1, 12) >= 0 */
        for (Py_ssize_t i = 1; i <= 8; i++)
            if (memcmp(s + i, s, 4) == 0) return 1;
    if (n && (stand_in_frame[(unsigned char)s[0]] || stand_in_frame[(unsigned char)s[n - 1]]))
        return 1;
    char small[256], *low = n <= (Py_ssize_t)sizeof small ? small : PyMem_Malloc(n);
    if (!low) return 1; /* no memory for the copy: let Python decide */
    for (Py_ssize_t i = 0; i < n; i++) low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
    int found = n && stand_in_firsts[(unsigned char)low[0]];
    for (Py_ssize_t i = 0; !found && i < stand_in_starts.count; i++)
        found = stand_in_starts.len[i] <= n &&
                memcmp(low, stand_in_starts.word[i], stand_in_starts.len[i]) == 0;
    for (Py_ssize_t i = 0; !found && i < stand_in_ends.count; i++)
        found = stand_in_ends.len[i] <= n &&
                memcmp(low + n - stand_in_ends.len[i], stand_in_ends.word[i],
                       stand_in_ends.len[i]) == 0;
    for (Py_ssize_t i = 0; !found && i < stand_in_contains.count; i++)
        found = has(low, n, stand_in_contains.word[i], stand_in_contains.len[i]);
    if (low != small) PyMem_Free(low);
    return found;
}

static PyObject *may_be_stand_in(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "a str");
        return NULL;
    }
    if (!stand_in_ready || !PyUnicode_IS_ASCII(text)) Py_RETURN_TRUE;
    const char *s = (const char *)PyUnicode_DATA(text);
    if (may_be_stand_in_ascii(s, PyUnicode_GET_LENGTH(text))) Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}

/* The classifier's quiet values -------------------------------------------
 *
 * envcheck.schema.classify.value_flags' first facts are a stand-in
 * (schema.values.is_placeholder), a key's shape (secret.looks_like_key) and a
 * zero-width character.  quiet_value(text) is True only when all three are
 * surely absent, so that a rule asking only those can skip the classifier:
 *   ASCII text (a zero-width character is not ASCII), and, stripped as
 *   str.strip() strips (Py_UNICODE_ISSPACE):
 *   not may_be_stand_in (is_placeholder's word and shape tests), no "://"
 *   (its URL test), and no start of `starts` (the vendor prefixes of its
 *   prefix test and the key stems every key shape starts with).
 * False means "ask Python"; so does every value before both word lists are
 * given (set_stand_in_words, set_quiet_starts).  tests/schema/test_classify.py
 * holds it to value_flags.
 */
static Words quiet_starts;
static char quiet_firsts[128];
static int quiet_ready = 0;

static PyObject *set_quiet_starts(PyObject *self, PyObject *starts) {
    quiet_ready = 0;
    if (set_words(&quiet_starts, starts) < 0) return NULL;
    memset(quiet_firsts, 0, sizeof quiet_firsts);
    for (Py_ssize_t i = 0; i < quiet_starts.count; i++) {
        unsigned char c = (unsigned char)quiet_starts.word[i][0];
        if (quiet_starts.len[i] == 0 || c >= 128) {
            PyErr_SetString(PyExc_ValueError, "non-empty ASCII starts only");
            return NULL;
        }
        quiet_firsts[c] = 1;
    }
    quiet_ready = 1;
    Py_RETURN_NONE;
}

/* schema.values._may_hold_url_stand_in for ASCII text: one of "[", "<", "{",
 * or "your" / "xxxx" in any case. */
static int may_hold_url_stand_in(const char *s, Py_ssize_t n) {
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '[' || c == '<' || c == '{') return 1;
        if (i + 4 <= n) {
            char w[4];
            for (int j = 0; j < 4; j++)
                w[j] = (s[i + j] >= 'A' && s[i + j] <= 'Z') ? s[i + j] + 32 : s[i + j];
            if (memcmp(w, "your", 4) == 0 || memcmp(w, "xxxx", 4) == 0) return 1;
        }
    }
    return 0;
}

static PyObject *quiet_value(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "a str");
        return NULL;
    }
    if (!stand_in_ready || !quiet_ready || !PyUnicode_IS_ASCII(text)) Py_RETURN_FALSE;
    const char *s = (const char *)PyUnicode_DATA(text);
    Py_ssize_t start = 0, end = PyUnicode_GET_LENGTH(text);
    while (start < end && Py_UNICODE_ISSPACE((Py_UCS4)(unsigned char)s[start])) start++;
    while (end > start && Py_UNICODE_ISSPACE((Py_UCS4)(unsigned char)s[end - 1])) end--;
    s += start;
    Py_ssize_t n = end - start;
    if (n == 0) Py_RETURN_TRUE;
    if (quiet_firsts[(unsigned char)s[0]])
        for (Py_ssize_t i = 0; i < quiet_starts.count; i++)
            if (quiet_starts.len[i] <= n &&
                memcmp(s, quiet_starts.word[i], quiet_starts.len[i]) == 0)
                Py_RETURN_FALSE;
    if (has(s, n, "://", 3) && may_hold_url_stand_in(s, n)) Py_RETURN_FALSE;
    if (may_be_stand_in_ascii(s, n)) Py_RETURN_FALSE;
    Py_RETURN_TRUE;
}

/* quiet_entry(key, value) -> bool: True only when a rule that asks of a key's
 * name whether it is a well-known one (schema.formats.format_for_name) or
 * says credential (secret.is_secret_name), and of its value the first facts
 * above, surely hears "no" to all of them, or the value is empty:
 *   the key is ASCII without a line break, holds none of `words` (upper case:
 *   every word of a credential's name), starts with none of `starts` (the
 *   public prefixes, which format_for_name strips) and is not in `names` (the
 *   well-known names); and quiet_value(value).
 * The words, starts and names come from set_quiet_names(words, starts, names).
 */
static Words quiet_name_words, quiet_name_starts;
static PyObject *quiet_names = NULL;

static PyObject *set_quiet_names(PyObject *self, PyObject *args) {
    PyObject *words, *starts, *names;
    if (!PyArg_ParseTuple(args, "OOO!", &words, &starts, &PyFrozenSet_Type, &names)) return NULL;
    Py_CLEAR(quiet_names);
    if (set_words(&quiet_name_words, words) < 0 || set_words(&quiet_name_starts, starts) < 0)
        return NULL;
    Py_INCREF(names);
    quiet_names = names;
    Py_RETURN_NONE;
}

static int quiet_name(PyObject *key) {
    if (!PyUnicode_IS_ASCII(key)) return 0;
    const char *k = (const char *)PyUnicode_DATA(key);
    Py_ssize_t n = PyUnicode_GET_LENGTH(key);
    for (Py_ssize_t i = 0; i < quiet_name_starts.count; i++)
        if (quiet_name_starts.len[i] <= n &&
            memcmp(k, quiet_name_starts.word[i], quiet_name_starts.len[i]) == 0)
            return 0;
    char small[256], *up = n <= (Py_ssize_t)sizeof small ? small : PyMem_Malloc(n);
    if (!up) return 0;
    int quiet = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (k[i] == '\n') quiet = 0;
        up[i] = (k[i] >= 'a' && k[i] <= 'z') ? k[i] - 32 : k[i];
    }
    for (Py_ssize_t i = 0; quiet && i < quiet_name_words.count; i++)
        if (has(up, n, quiet_name_words.word[i], quiet_name_words.len[i])) quiet = 0;
    if (up != small) PyMem_Free(up);
    if (!quiet) return 0;
    int known = PySet_Contains(quiet_names, key);
    if (known < 0) PyErr_Clear();
    return known == 0;
}

static PyObject *quiet_entry(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "quiet_entry(key: str, value: str)");
        return NULL;
    }
    PyObject *key = args[0], *value = args[1];
    if (PyUnicode_GET_LENGTH(value) == 0) Py_RETURN_TRUE;
    if (quiet_names == NULL || !quiet_name(key)) Py_RETURN_FALSE;
    return quiet_value(self, value);
}

/* first_facts(value) -> bool | None: the classifier's first facts of an ASCII value
 * (envcheck.schema.classify._first_facts), in one call: None when Python must
 * decide; else whether the value has a key's shape (secret.looks_like_key),
 * and then surely no stand-in (schema.values.is_placeholder) and no zero-width
 * character.  Stripped as str.strip() strips; decided here only when:
 *   not may_be_stand_in (is_placeholder's word and shape tests);
 *   no "://", or none of the URL stand-in's marks (may_hold_url_stand_in);
 *   after the first vendor prefix it starts with (in the table's order), a rest
 *   the filler pattern cannot match whole: not empty, not starting with one
 *   of "xX*._-0", "your", "my" (any case) or "1234".
 * The key shape, exactly: starting with a stem, made of [-_A-Za-z0-9] only,
 * 16 or more of them after some stem it starts with, and the characters after
 * the first such stem (in the stems' order) mixing two of lower case, upper
 * case and digits.  The stems and prefixes: set_fact_words(stems, prefixes).
 */
static Words fact_stems, fact_prefixes;
static int facts_ready = 0;

static PyObject *set_fact_words(PyObject *self, PyObject *args) {
    PyObject *stems, *prefixes;
    if (!PyArg_ParseTuple(args, "OO", &stems, &prefixes)) return NULL;
    facts_ready = 0;
    if (set_words(&fact_stems, stems) < 0 || set_words(&fact_prefixes, prefixes) < 0) return NULL;
    facts_ready = 1;
    Py_RETURN_NONE;
}

static int starts_ci(const char *s, Py_ssize_t n, const char *w) {
    Py_ssize_t m = (Py_ssize_t)strlen(w);
    if (m > n) return 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        char c = (s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i];
        if (c != w[i]) return 0;
    }
    return 1;
}

static int in_key_class(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_';
}

static PyObject *first_facts(PyObject *self, PyObject *value) {
    if (!PyUnicode_Check(value)) {
        PyErr_SetString(PyExc_TypeError, "a str");
        return NULL;
    }
    if (!stand_in_ready || !facts_ready || !PyUnicode_IS_ASCII(value)) Py_RETURN_NONE;
    const char *s = (const char *)PyUnicode_DATA(value);
    Py_ssize_t start = 0, end = PyUnicode_GET_LENGTH(value);
    while (start < end && Py_UNICODE_ISSPACE((Py_UCS4)(unsigned char)s[start])) start++;
    while (end > start && Py_UNICODE_ISSPACE((Py_UCS4)(unsigned char)s[end - 1])) end--;
    s += start;
    Py_ssize_t n = end - start;
    if (n == 0) Py_RETURN_FALSE;
    if (may_be_stand_in_ascii(s, n)) Py_RETURN_NONE;
    if (has(s, n, "://", 3) && may_hold_url_stand_in(s, n)) Py_RETURN_NONE;
    for (Py_ssize_t i = 0; i < fact_prefixes.count; i++) {
        Py_ssize_t len = fact_prefixes.len[i];
        if (len > n || memcmp(s, fact_prefixes.word[i], len) != 0) continue;
        const char *rest = s + len;
        Py_ssize_t m = n - len;
        if (m == 0 || strchr("xX*._-0", rest[0]) || starts_ci(rest, m, "your") ||
            starts_ci(rest, m, "my") || (m >= 4 && memcmp(rest, "1234", 4) == 0))
            Py_RETURN_NONE;
        break; /* the first prefix only, as _after_known_prefix takes it */
    }
    Py_ssize_t first = -1, shortest = -1;
    for (Py_ssize_t i = 0; i < fact_stems.count; i++) {
        Py_ssize_t len = fact_stems.len[i];
        if (len > n || memcmp(s, fact_stems.word[i], len) != 0) continue;
        if (first < 0) first = len;
        if (shortest < 0 || len < shortest) shortest = len;
    }
    if (first < 0 || n - shortest < 16) Py_RETURN_FALSE;
    int lower = 0, upper = 0, digit = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        char c = s[i];
        if (!in_key_class(c)) Py_RETURN_FALSE;
        if (i >= first) {
            lower |= c >= 'a' && c <= 'z';
            upper |= c >= 'A' && c <= 'Z';
            digit |= c >= '0' && c <= '9';
        }
    }
    if (lower + upper + digit >= 2) Py_RETURN_TRUE;
    Py_RETURN_FALSE;
}

/* line_ends(text) -> bytes: the offset after every "\n" of ``text``, in order,
 * as native 64-bit integers (array("q").frombytes reads them): the line index
 * of envcheck.sources.lines.LineIndex without a Python step per line. */
static PyObject *line_ends(PyObject *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "a str");
        return NULL;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), count = 0;
    if (kind == PyUnicode_1BYTE_KIND) {
        const char *p = data, *end = p + n;
        while ((p = memchr(p, '\n', end - p)) != NULL) count++, p++;
    } else {
        for (Py_ssize_t i = 0; i < n; i++) count += PyUnicode_READ(kind, data, i) == '\n';
    }
    PyObject *out = PyBytes_FromStringAndSize(NULL, count * (Py_ssize_t)sizeof(long long));
    if (!out) return NULL;
    long long *at = (long long *)PyBytes_AS_STRING(out);
    if (kind == PyUnicode_1BYTE_KIND) {
        const char *start = data, *p = start, *end = p + n;
        while ((p = memchr(p, '\n', end - p)) != NULL) *at++ = (long long)(++p - start);
    } else {
        for (Py_ssize_t i = 0; i < n; i++)
            if (PyUnicode_READ(kind, data, i) == '\n') *at++ = (long long)(i + 1);
    }
    return out;
}

static PyMethodDef methods[] = {
    {"scan_python", scan_python, METH_VARARGS, "Plain python-dotenv lines to entries."},
    {"scan_node", scan_node, METH_VARARGS, "Plain dotenv.parse lines to entries."},
    {"scan_nodeutil", scan_nodeutil, METH_VARARGS, "Plain util.parseEnv lines to entries."},
#ifdef HAVE_JSON_WRITER
    {"dumps_indented", dumps_indented, METH_VARARGS,
     "json.dumps(obj, indent=2, ensure_ascii=False) for plain documents."},
#endif
    {"set_stand_in_words", set_stand_in_words, METH_VARARGS,
     "The stand-in pre-test's words: firsts, frame, starts, ends, contains."},
    {"may_be_stand_in", may_be_stand_in, METH_O,
     "False only when is_placeholder's word and shape tests are all False."},
    {"set_quiet_starts", set_quiet_starts, METH_O,
     "The quiet-value pre-test's starts: vendor prefixes and key stems."},
    {"quiet_value", quiet_value, METH_O,
     "True only when a value surely has no stand-in, key shape or zero-width character."},
    {"set_fact_words", set_fact_words, METH_VARARGS,
     "The first facts' key stems and vendor prefixes, in their tables' order."},
    {"first_facts", first_facts, METH_O,
     "Whether an ASCII value has a key's shape (no stand-in then), or None: ask Python."},
    {"line_ends", line_ends, METH_O,
     "The offset after every newline of a text, as native 64-bit integers."},
    {"set_quiet_names", set_quiet_names, METH_VARARGS,
     "The quiet-entry pre-test's name words, name starts and well-known names."},
    {"quiet_entry", (PyCFunction)(void (*)(void))quiet_entry, METH_FASTCALL,
     "True only when a key's name and value surely raise none of the first questions."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_fastlines", NULL, -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__fastlines(void) { return PyModule_Create(&module); }
