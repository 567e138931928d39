"""The browser check of `make docs` (run by `make test-docs`): every built page opened in headless
Chromium (Debian's `chromium`).

    python3 Tests/docs/check_pages.py [.build/docs/html]

For each .html page: it loads (its window load event ran: the page's script wrote #load-report),
every <img> on it loaded (complete, with a natural width), every internal link, image and style
sheet points to an existing file, and every #fragment to an existing id. Across the pages: every
docs/*.md has its page, and every loss of include/losses.h has its plot (a figure that loaded,
below a heading naming the loss). Fails naming the page and the image or link.
"""
import concurrent.futures
import html.parser
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "docs", "site"))
import catalogue  # noqa: E402  (what a loss is: the header's pairs, companions aside)

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


class Page(html.parser.HTMLParser):
    """What the checks need from one document: ids, links, images, headings, figures."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.links, self.images, self.figures = set(), [], [], []
        self.report, self.title, self.heading, self._text, self._in = None, "", "", [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a or tag == "link" and "href" in a:
            self.links.append(a["href"])
        if tag == "img":
            self.images.append(a)
            self.links.append(a.get("src", ""))
            if self.figures and self.figures[-1]["img"] is None:
                self.figures[-1]["img"] = a
        if tag == "figure" and "data-loss" in a:
            self.figures.append({"loss": a["data-loss"], "heading": self.heading, "img": None})
        if tag == "div" and a.get("id") == "load-report":
            self.report = a
        if tag in ("h2", "h3", "title"):
            self._in, self._text = tag, []

    def handle_endtag(self, tag):
        if tag == self._in:
            text = "".join(self._text).strip()
            if tag == "title":
                self.title = text
            else:
                self.heading = text
            self._in = None

    def handle_data(self, data):
        if self._in:
            self._text.append(data)


def parse(text):
    page = Page()
    page.feed(text)
    return page


def browser():
    for name in [os.environ.get("CHROMIUM", "")] + list(BROWSERS):
        if name and shutil.which(name):
            return shutil.which(name)
    raise SystemExit("check_pages: no Chromium found (make test-docs installs Debian's chromium)")


def dump_dom(chromium, path):
    """(the DOM after the page's load event, Chromium's stderr) of one file."""
    run = subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                          "--dump-dom", "--virtual-time-budget=5000", "file://" + path],
                         capture_output=True, text=True, timeout=180)
    return run.stdout, run.stderr


def link_problems(site, name, page, cache):
    """Every internal link of a page that points nowhere."""
    found = []
    for link in page.links:
        parts = urllib.parse.urlsplit(link)
        if parts.scheme or link.startswith("//"):
            continue                                   # external: not this check's business
        target = os.path.normpath(os.path.join(site, urllib.parse.unquote(parts.path))) if parts.path \
            else os.path.join(site, name)
        if not os.path.exists(target):
            found.append(f"{name}: link {link!r} points to a missing file ({os.path.relpath(target, ROOT)})")
            continue
        if parts.fragment and target.endswith(".html"):
            if target not in cache:
                cache[target] = parse(open(target, encoding="utf-8").read()).ids
            if parts.fragment not in cache[target]:
                found.append(f"{name}: link {link!r}: no id {parts.fragment!r} in {os.path.basename(target)}")
    return found


def names(text, loss):
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(loss)}(?![A-Za-z0-9_])", text) is not None


def main():
    site = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "docs", "html"))
    files = sorted(f for f in os.listdir(site) if f.endswith(".html")) if os.path.isdir(site) else []
    if not files:
        raise SystemExit(f"check_pages: no pages in {site}: run make docs")
    chromium = browser()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
        dumps = dict(zip(files, pool.map(lambda f: dump_dom(chromium, os.path.join(site, f)), files)))

    failures, passed, cache, figures = [], 0, {}, {}
    for name in files:
        dom, stderr = dumps[name]
        page, problems = parse(dom), []
        if page.report is None:
            problems.append(f"{name}: did not load (no window load event within the time budget)"
                            + (f"; Chromium said: {stderr.strip()[-400:]}" if stderr.strip() else ""))
        else:
            loaded, total = int(page.report["data-images-loaded"]), int(page.report["data-images-total"])
            broken = [image.get("src") for image in page.images if image.get("data-load") != "ok"]
            if loaded != total or broken:
                problems.append(f"{name}: {loaded} of {total} images loaded; broken: {', '.join(broken)}")
        if not page.title:
            problems.append(f"{name}: no <title>")
        problems += link_problems(site, name, page, cache)
        for figure in page.figures:
            figures.setdefault(figure["loss"], []).append((name, figure))
        print(("ok    " if not problems else "FAIL  ") + f"{name}: {len(page.images)} images, {len(page.links)} links")
        failures += problems
        passed += not problems

    missing = [f"docs/{md}: no page {page}" for md in sorted(os.listdir(os.path.join(ROOT, "docs")))
               if md.endswith(".md") and (page := "index.html" if md == "README.md" else md[:-3] + ".html") not in files]
    failures += missing
    passed += not missing

    losses = catalogue.losses()
    for loss in losses:
        found, problems = figures.get(loss, []), []
        if len(found) != 1:
            problems.append(f"{loss}: {len(found)} plots in the pages, expected 1")
        for name, figure in found:
            image = figure["img"] or {}
            if image.get("data-load") != "ok":
                problems.append(f"{name}: the plot of {loss} ({image.get('src')}) did not load")
            if not names(figure["heading"], loss):
                problems.append(f"{name}: the plot of {loss} is not below a heading naming it "
                                f"(it follows {figure['heading']!r})")
        failures += problems
        passed += not problems

    print(f"check_pages: {len(files)} pages and {len(losses)} loss plots in {os.path.relpath(site, ROOT)}, "
          f"{time.monotonic() - started:.1f} s")
    for failure in failures:
        print("  FAILED " + failure)
    print(f"docs: {passed} passed, {len(files) + 1 + len(losses) - passed} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
