"""`make docs`: docs/*.md as a static HTML site, one page per Markdown file, with a plot of
every loss of include/losses.h (drawn by liblosses, see plots.py) below its heading.

    python3 docs/site/build.py [--out .build/docs/html] [--swift .build/docs/swift]

Fails, writing nothing, when a loss of the header has no section in its docs page (or a section
without its formula, gradient, defaults, edge cases or reference), no plot recipe in
recipes.py, or when a default macro is missing from docs/README.md. Needs markdown, latex2mathml,
matplotlib, numpy and pycparser, and liblosses built (make lib).
"""
import argparse
import html
import os
import shutil
import string
import sys
import time

SITE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.dirname(SITE)
ROOT = os.path.dirname(DOCS)
sys.path.insert(0, SITE)
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))

import catalogue  # noqa: E402
import pages  # noqa: E402
import plots  # noqa: E402
from recipes import RECIPES  # noqa: E402


def check():
    """Every reason the docs are not whole; empty when they are."""
    found = catalogue.problems()
    for loss in catalogue.losses():
        if loss not in RECIPES:
            found.append(f"{loss}: no plot recipe in docs/site/recipes.py")
    for loss in RECIPES:
        if loss not in catalogue.losses():
            found.append(f"{loss}: docs/site/recipes.py has a recipe for it, but include/losses.h declares no such loss")
    return found


def page_order():
    """The docs/*.md files: README.md first, then the family pages in header order, then the rest."""
    files = sorted(f for f in os.listdir(DOCS) if f.endswith(".md"))
    families = [page + ".md" for page in dict.fromkeys(catalogue.family_pages().values())]
    first = ["README.md"] + [f for f in families if f in files]
    return [f for f in first if f in files] + [f for f in files if f not in first]


def swift_index(swift_dir):
    """The DocC catalogue's entry page, when `make docs-swift` has written one."""
    for candidate in ("index.html", os.path.join("documentation", "losses", "index.html")):
        if os.path.isfile(os.path.join(swift_dir, candidate)):
            return os.path.join(swift_dir, candidate)
    return None


def navigation(titles, current, swift_link):
    links = []
    for md_file, title in titles.items():
        name = pages.page_name(md_file)
        label = "Overview" if md_file == "README.md" else title.split(":")[0].strip()
        attribute = ' class="current" aria-current="page"' if md_file == current else ""
        links.append(f'<a href="{name}"{attribute}>{html.escape(label)}</a>')
    if swift_link:
        links.append(f'<a href="{html.escape(swift_link)}">Swift API</a>')
    return "\n".join(links)


def figures(md_file, body, out_dir):
    """The plot of every loss whose section is on this page, inserted below its heading."""
    inserts = []
    on_page = [loss for loss, page in catalogue.family_pages().items() if page + ".md" == md_file]
    marks = pages.headings(body)
    for loss in on_page:
        position = next(end for end, text in marks if catalogue.names(text, loss))
        caption = plots.draw(loss, os.path.join(out_dir, f"{loss}.png"))
        inserts.append((position, f'\n<figure class="plot" data-loss="{loss}">'
                                  f'<img src="{loss}.png" alt="{loss}: loss and gradient" width="900" height="310">'
                                  f"<figcaption>{html.escape(caption)}</figcaption></figure>"))
    return pages.insert_after(body, inserts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(ROOT, ".build", "docs", "html"))
    parser.add_argument("--swift", default=os.path.join(ROOT, ".build", "docs", "swift"))
    args = parser.parse_args()
    started = time.monotonic()

    problems = check()
    if problems:
        print("make docs: the docs are not whole:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1

    out = os.path.abspath(args.out)
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    shutil.copy(os.path.join(SITE, "style.css"), out)
    template = string.Template(open(os.path.join(SITE, "page.html"), encoding="utf-8").read())
    swift = swift_index(os.path.abspath(args.swift))
    swift_link = os.path.relpath(swift, out) if swift else None

    order = page_order()
    converted = {md_file: pages.convert(os.path.join(DOCS, md_file), out, order) for md_file in order}
    titles = {md_file: title for md_file, (title, _) in converted.items()}
    for md_file, (title, body) in converted.items():
        body = figures(md_file, body, out)
        with open(os.path.join(out, pages.page_name(md_file)), "w", encoding="utf-8") as f:
            f.write(template.substitute(title=html.escape(title), nav=navigation(titles, md_file, swift_link),
                                        body=body))
    print(f"docs: {len(order)} pages and {len(catalogue.losses())} plots in {os.path.relpath(out, ROOT)} "
          f"({time.monotonic() - started:.1f} s)" + ("" if swift else "; no Swift catalogue to link"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
