/* The python dialect's fast path in C: plain lines straight to Entry objects.
 *
 * envcheck/sources/python_parser.py reads a file the way python-dotenv does.
 * Most lines of a real file are plain (KEY=value, a quoted value, a comment),
 * and python-dotenv reads a plain line the same way wherever it stands.  This
 * module reads a run of plain lines, exactly as python_parser's ``_FAST``
 * regex and its loop do, and stops at the first line that is not plain, for
 * the exact Python reader to take over.  It knows nothing else: when it is
 * missing (no compiler at install time) python_parser reads the same lines
 * with its regex, and the tests hold the two to the same output.
 *
 * scan(text, pos, line, path, entry_type, out) -> (pos, line)
 *   text: the file's text after newline normalisation, ending with "\n";
 *   pos, line: a line start and its 1-based number.
 *   Appends entry_type(key, value, path, line, col, quote, end_line, export)
 *   to ``out`` for each plain binding, skips blank and comment lines, and
 *   returns the start and number of the first other line (or len(text)).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define CH(i) PyUnicode_READ(kind, data, (i))

static int is_key_char(Py_UCS4 c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '.' || c == '-';
}

/* Find '\n' at or after i (the text ends with one). */
static Py_ssize_t line_end(int kind, const void *data, Py_ssize_t i, Py_ssize_t n) {
    while (i < n && CH(i) != '\n') i++;
    return i;
}

static PyObject *make_entry(PyObject *entry_type, PyObject *key, PyObject *value, PyObject *path,
                            Py_ssize_t line, Py_ssize_t col, PyObject *quote, Py_ssize_t end_line,
                            int export) {
    PyObject *line_o = PyLong_FromSsize_t(line);
    PyObject *col_o = PyLong_FromSsize_t(col);
    PyObject *end_o = PyLong_FromSsize_t(end_line);
    PyObject *result = NULL;
    if (line_o && col_o && end_o) {
        PyObject *args[8] = {key, value, path, line_o, col_o, quote, end_o,
                             export ? Py_True : Py_False};
        result = PyObject_Vectorcall(entry_type, args, 8, NULL);
    }
    Py_XDECREF(line_o);
    Py_XDECREF(col_o);
    Py_XDECREF(end_o);
    return result;
}

static PyObject *scan(PyObject *self, PyObject *args) {
    PyObject *text, *path, *entry_type, *out;
    Py_ssize_t pos, line;
    if (!PyArg_ParseTuple(args, "UnnUOO!", &text, &pos, &line, &path, &entry_type, &PyList_Type,
                          &out))
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    if (n == 0 || CH(n - 1) != '\n') {
        PyErr_SetString(PyExc_ValueError, "text must end with a newline");
        return NULL;
    }
    PyObject *unquoted = PyUnicode_FromString("");
    PyObject *single = PyUnicode_FromString("'");
    PyObject *dbl = PyUnicode_FromString("\"");
    if (!unquoted || !single || !dbl) goto fail;

    while (pos < n) {
        Py_ssize_t i = pos, k = pos;
        /* Blank or comment line: [ \t]*(#[^\n]*)?\n */
        while (CH(k) == ' ' || CH(k) == '\t') k++;
        Py_UCS4 c = CH(k);
        if (c == '\n' || c == '#') {
            pos = line_end(kind, data, k, n) + 1;
            line++;
            continue;
        }
        /* (export[ \t]+)?  -- atomic: a key must follow it */
        Py_ssize_t export_len = 0;
        if (i + 6 < n && CH(i) == 'e' && CH(i + 1) == 'x' && CH(i + 2) == 'p' && CH(i + 3) == 'o' &&
            CH(i + 4) == 'r' && CH(i + 5) == 't' && (CH(i + 6) == ' ' || CH(i + 6) == '\t')) {
            k = i + 6;
            while (CH(k) == ' ' || CH(k) == '\t') k++;
            export_len = k - i;
            i = k;
        }
        /* ([A-Za-z0-9_.-]+)= */
        Py_ssize_t key_start = i;
        while (is_key_char(CH(i))) i++;
        if (i == key_start || CH(i) != '=') break;
        Py_ssize_t key_end = i;
        i++;
        c = CH(i);
        Py_ssize_t value_start, value_end, next, newlines = 0;
        PyObject *quote;
        if (c == '"' || c == '\'') {
            /* "[^"\\]*" or '[^'\\]*', possibly over several lines */
            k = i + 1;
            while (k < n && CH(k) != c && CH(k) != '\\') {
                if (CH(k) == '\n') newlines++;
                k++;
            }
            if (k >= n || CH(k) != c) break;
            value_start = i + 1;
            value_end = k;
            k++;
            while (CH(k) == ' ' || CH(k) == '\t') k++;
            if (CH(k) == '#') k = line_end(kind, data, k, n);
            if (CH(k) != '\n') break;
            next = k + 1;
            quote = c == '"' ? dbl : single;
        } else if (c == '\n') {
            value_start = value_end = i;
            next = i + 1;
            quote = unquoted;
        } else if (c == '#' || Py_UNICODE_ISSPACE(c)) {
            break;
        } else {
            /* Unquoted: the rest of the line; python-dotenv cuts "\s+#.*" and strips. */
            k = line_end(kind, data, i, n);
            value_start = i;
            value_end = k;
            for (Py_ssize_t m = i + 1; m < k; m++) {
                if (CH(m) == '#' && Py_UNICODE_ISSPACE(CH(m - 1))) {
                    value_end = m - 1;
                    while (value_end > i && Py_UNICODE_ISSPACE(CH(value_end - 1))) value_end--;
                    break;
                }
            }
            while (value_end > value_start && Py_UNICODE_ISSPACE(CH(value_end - 1))) value_end--;
            next = k + 1;
            quote = unquoted;
        }
        PyObject *key = PyUnicode_Substring(text, key_start, key_end);
        PyObject *value = key ? PyUnicode_Substring(text, value_start, value_end) : NULL;
        PyObject *entry = value ? make_entry(entry_type, key, value, path, line, export_len + 1,
                                             quote, line + newlines, export_len > 0)
                                : NULL;
        Py_XDECREF(key);
        Py_XDECREF(value);
        if (entry == NULL) goto fail;
        int failed = PyList_Append(out, entry);
        Py_DECREF(entry);
        if (failed) goto fail;
        pos = next;
        line += newlines + 1;
    }
    Py_DECREF(unquoted);
    Py_DECREF(single);
    Py_DECREF(dbl);
    return Py_BuildValue("nn", pos, line);
fail:
    Py_XDECREF(unquoted);
    Py_XDECREF(single);
    Py_XDECREF(dbl);
    return NULL;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS, "Read a run of plain python-dotenv lines into entries."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pyfast", NULL, -1, methods};

PyMODINIT_FUNC PyInit__pyfast(void) { return PyModule_Create(&module); }
