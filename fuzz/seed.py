#!/usr/bin/env python3
"""Builds the fuzz corpora in fuzz/corpus/<target>/ (git-ignored) from sample-data/,
../shared/corpora (read in place, copied here only for the fuzz run) and fuzz/seeds/.

Each target reads its first byte (or two) as options, so every seed gets the prefix that makes
the target read it the way the file is meant to be read. Run from anywhere:
    python3 fuzz/seed.py [path-to-wxaudit-binary]
The binary (default: target/debug/wxaudit) is used to write a saved report for `saved_report`;
without it that corpus starts from the committed seeds only.
"""
import io
import os
import subprocess
import sys
import zipfile

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
SAMPLE = os.path.join(ROOT, "sample-data")
SHARED = os.path.join(ROOT, "..", "shared", "corpora")
SEEDS = os.path.join(FUZZ, "seeds")


def put(target, name, prefix, data):
    d = os.path.join(FUZZ, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(bytes(prefix) + data)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def files(d, exts):
    if not os.path.isdir(d):
        return []
    return sorted(os.path.join(d, n) for n in os.listdir(d) if n.lower().endswith(exts))


def ods(rows):
    """A minimal OpenDocument spreadsheet holding `rows` (lists of text)."""
    cells = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
            for c in r
        )
        + "</table:table-row>"
        for r in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="Accounts">'
        + cells
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
        )
    return buf.getvalue()


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "debug", "wxaudit"
    )
    # import_table: byte 0 = name (0 .csv, 1 .tsv), byte 1 = options (0 auto; 2 gb18030).
    for p in files(SAMPLE, (".csv",)):
        opt = 2 if "gb18030" in p else 0
        put("import_table", os.path.basename(p), [0, opt], read(p))
        put("import_table", "auto-" + os.path.basename(p), [3, 0], read(p))
    for p in files(os.path.join(SHARED, "csv-spectrum", "csvs"), (".csv",)):
        put("import_table", "spectrum-" + os.path.basename(p), [0, 0], read(p))
    tsv = b"id\tname\ttype\tportal\taudience\ngh_1\tShop\tservice\tadmin.wechat.com\tCN\n"
    put("import_table", "tabs.tsv", [1, 0], tsv)
    put("import_table", "utf16.csv", [0, 3], "\ufeffid,name\r\ngh_1,店铺\r\n".encode("utf-16-le"))
    put("import_table", "semi.csv", [0, 3 << 3], b"id;name;followers\ngh_1;A;1,5\n")
    # import_json: byte 0 = name (0 .json, 1 .jsonl, 3 detect).
    for p in files(SAMPLE, (".json",)):
        put("import_json", os.path.basename(p), [0], read(p))
    for p in files(os.path.join(SHARED, "JSONTestSuite", "test_parsing"), (".json",)):
        put("import_json", "suite-" + os.path.basename(p), [0], read(p))
    for p in files(os.path.join(SHARED, "csv-spectrum", "json"), (".json",)):
        put("import_json", "spectrum-" + os.path.basename(p), [3], read(p))
    put("import_json", "lines.jsonl", [1], b'{"id":"gh_1","name":"A"}\n{"id":"gh_2","name":"B"}\n')
    # import_workbook: byte 0 & 7 = name (0 .xlsx, 2 .ods).
    for p in files(SAMPLE, (".xlsx",)):
        put("import_workbook", os.path.basename(p), [0], read(p))
    put("import_workbook", "small.ods", [2], ods([["id", "name", "type"], ["gh_1", "店铺", "service"]]))
    # side_files: byte 0 % 6 = reader (0 suppressions, 1 config, 2 profile JSON, 3 profile TOML,
    # 4 rules TOML, 5 rules JSON).
    put("side_files", "accepted-risks.toml", [0], read(os.path.join(SAMPLE, "accepted-risks.toml")))
    put("side_files", "wxaudit.toml", [1], read(os.path.join(SAMPLE, "wxaudit.toml")))
    put("side_files", "acme-profile.toml", [3], read(os.path.join(SAMPLE, "acme-profile.toml")))
    for p in files(SEEDS, (".toml", ".json")):
        n = os.path.basename(p)
        sel = {"profile.json": 2, "rules.toml": 4, "rules.json": 5, "config.toml": 1}.get(n)
        if sel is not None:
            put("side_files", n, [sel], read(p))
    # saved_report: byte 0 = 0 diffs the report with itself.
    for p in files(os.path.join(SEEDS, "reports"), (".json",)):
        put("saved_report", os.path.basename(p), [0], read(p))
    if os.path.exists(binary):
        out = subprocess.run(
            [binary, "audit", os.path.join(SAMPLE, "acme-accounts.csv"), "--format", "json",
             "--as-of", "2026-11-27", "--suppressions", os.path.join(SAMPLE, "accepted-risks.toml")],
            capture_output=True,
        )
        if out.stdout.startswith(b"{"):
            put("saved_report", "acme-report.json", [0], out.stdout)
    for t in sorted(os.listdir(os.path.join(FUZZ, "corpus"))):
        print(f"seed: {t}: {len(os.listdir(os.path.join(FUZZ, 'corpus', t)))} files")


main()
