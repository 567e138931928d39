"""One docs/*.md page as HTML: Python-Markdown for the text, latex2mathml for the $...$ and
$$...$$ formulas (MathML, which the browser renders itself: no script, no network), heading ids
as GitHub makes them (so the pages' #anchors hold on both), and links rewritten for the site:
docs/X.md becomes X.html (README.md index.html), other repository files are linked in place."""
import html
import os
import re

import markdown
from latex2mathml.converter import convert as latex_to_mathml

# Code first, so a $ inside code is never taken for math.
TOKENS = re.compile(r"(?P<fence>^```.*?^```[^\n]*$)|(?P<tick>`+)(?P<code>.+?)(?P=tick)"
                    r"|\$\$(?P<display>.+?)\$\$|\$(?P<inline>[^$\n]+?)\$", re.S | re.M)
PLACEHOLDER = re.compile(r"(<p>)?LOSSESMATH(\d+)END(</p>)?")
# latex2mathml writes \log q as <mi>log</mi><mi>q</mi>, which the browser sets as "logq": a thin
# space after a function name unless a parenthesis follows.
FUNCTION = re.compile(r"(<mi>(?:log|ln|exp|sin|cos|tan|sinh|cosh|tanh)</mi>)(?!<mo stretchy=\"false\">&#x00028;)")


def page_name(md_file):
    """The HTML file of a docs/*.md file name: README.md is the index."""
    stem = os.path.splitext(md_file)[0]
    return "index.html" if stem == "README" else stem + ".html"


def slug(text, separator="-"):
    """GitHub's heading anchor: lower case, punctuation dropped, each space a hyphen."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", separator)


def protect_math(text):
    """(text with every formula replaced by a placeholder word, [MathML of each])."""
    formulas = []

    def replace(m):
        if m.group("display") is None and m.group("inline") is None:
            return m.group(0)
        block = m.group("display") is not None
        tex = (m.group("display") if block else m.group("inline")).strip()
        try:
            mathml = latex_to_mathml(tex, display="block" if block else "inline")
        except Exception as error:
            raise SystemExit(f"formula ${tex}$ cannot be rendered: {error}")
        formulas.append((block, FUNCTION.sub(r'\1<mspace width="0.1667em"></mspace>', mathml)))
        return f"LOSSESMATH{len(formulas) - 1}END"

    return TOKENS.sub(replace, text), formulas


def restore_math(body, formulas):
    def replace(m):
        block, mathml = formulas[int(m.group(2))]
        if block and m.group(1) and m.group(3):
            return f'<div class="math">{mathml}</div>'
        return (m.group(1) or "") + mathml + (m.group(3) or "")
    return PLACEHOLDER.sub(replace, body)


def rewrite_links(body, docs_dir, out_dir, pages):
    """Relative links: to another page of the site, or to the repository file they name."""
    def replace(m):
        target = html.unescape(m.group(1))
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            return m.group(0)
        path, _, fragment = target.partition("#")
        if path in pages:
            new = page_name(path)
        else:
            new = os.path.relpath(os.path.normpath(os.path.join(docs_dir, path)), out_dir)
        return 'href="' + html.escape(new + ("#" + fragment if fragment else "")) + '"'
    return re.sub(r'href="([^"]*)"', replace, body)


def convert(md_path, out_dir, pages):
    """(title, HTML body) of one Markdown file; pages lists the docs/*.md file names."""
    text, formulas = protect_math(open(md_path, encoding="utf-8").read())
    converter = markdown.Markdown(extensions=["tables", "fenced_code", "toc"],
                                  extension_configs={"toc": {"slugify": slug}})
    body = converter.convert(text)
    body = rewrite_links(restore_math(body, formulas), os.path.dirname(os.path.abspath(md_path)), out_dir, pages)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    title = re.sub(r"<[^>]+>", "", heading.group(1)) if heading else os.path.basename(md_path)
    return html.unescape(title), body


def headings(body):
    """[(match end, text)] of the <h2> and <h3> elements of a body."""
    return [(m.end(), html.unescape(re.sub(r"<[^>]+>", "", m.group(2))))
            for m in re.finditer(r"<h([23])[^>]*>(.*?)</h\1>", body, re.S)]


def insert_after(body, inserts):
    """body with each (position, HTML) inserted, positions in the original body; snippets at one
    position keep their order."""
    ordered = sorted(enumerate(inserts), key=lambda item: (item[1][0], item[0]), reverse=True)
    for _, (position, snippet) in ordered:
        body = body[:position] + snippet + body[position:]
    return body
