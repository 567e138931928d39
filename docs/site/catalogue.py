"""What the built docs must hold, derived from include/losses.h and docs/*.md, never typed.

- The losses: every losses_<name>_f32/_f64 pair the header declares (abi/header.py), but the
  losses_<loss>_grad_target companions, which need only be named on their loss's page.
- The family page of each: the docs/<page>.md named by the header's section comment above its
  declaration ("/* ---- Regression losses (docs/regression.md) ---- */").
- Its section: the first ## or ### heading of that page that names the loss as a word
  (`## mse_loss`, `### cross_entropy with probability targets (cross_entropy_probs)`).
- What the section must state: the labels of docs/README.md's pattern (definition, gradient,
  the parameter table with defaults, edge cases, the reference it agrees with).
- The defaults: every LOSSES_*_DEFAULT_* macro of the header has its row, with its value, in the
  table of docs/README.md ("Default values").
"""
import os
import re
import sys

SITE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.dirname(SITE)
ROOT = os.path.dirname(DOCS)
sys.path.insert(0, os.path.join(ROOT, "abi"))
import header  # noqa: E402

# Each label of a loss section, as docs/README.md ("Each loss page follows one pattern") has it.
REQUIRED = {
    "formula": r"\*\*Definition\b",
    "gradient": r"\*\*Gradient\b",
    "defaults": r"^\| parameter \| Python default \|",
    "edge cases": r"\*\*Edge cases\b",
    "PyTorch/torchvision/optax equivalent": r"\*\*Agrees with\b",
}

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


COMPANION = "_grad_target"


def losses():
    """[loss name] in header order: every losses_<name>_f32/_f64 pair but the companions."""
    pairs = list(header.losses())
    return [name for name in pairs if name not in companions(pairs)]


def companions(pairs=None):
    """{companion: its loss}: losses_<loss>_grad_target_* computes a gradient of losses_<loss>_*,
    and an update (abi/header.py's updates: center_loss_update, of center_loss) writes the table
    its loss reads; each is documented in its loss's section rather than drawn."""
    pairs = list(header.losses()) if pairs is None else pairs
    found = {name: name[:-len(COMPANION)] for name in pairs
             if name.endswith(COMPANION) and name[:-len(COMPANION)] in pairs}
    for name in header.updates() & set(pairs):
        stem = name.removesuffix("_update")
        loss = stem if stem in pairs else stem + "_loss"
        if loss in pairs:
            found[name] = loss
    return found


def family_pages():
    """{loss: page name without .md}, from the header's section comments."""
    text = open(header.HEADER).read()
    sections = [(m.start(), m.group(1)) for m in re.finditer(r"^/\* -+ .*?\(docs/(\w+)\.md\) -+ \*/", text, re.M)]
    pages = {}
    for loss in losses():
        at = text.find(f"losses_{loss}_f32(")
        above = [page for start, page in sections if start < at]
        if above:
            pages[loss] = above[-1]
    return pages


def names(text, loss):
    """Whether `text` names `loss` as a whole word (mse_loss, not mse_loss_x or x_mse_loss)."""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(loss)}(?![A-Za-z0-9_])", text) is not None


def headings(markdown_text):
    """[(line index, level, text without backticks)] of a Markdown page, code blocks skipped."""
    found, fenced = [], False
    for i, line in enumerate(markdown_text.splitlines()):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        m = None if fenced else HEADING.match(line)
        if m:
            found.append((i, len(m.group(1)), m.group(2).replace("`", "")))
    return found


def section(markdown_text, loss):
    """(heading text, the section's lines up to the next heading of its level or above) of the
    first ## or ### heading naming `loss`, or None."""
    lines = markdown_text.splitlines()
    marks = headings(markdown_text)
    for k, (i, level, text) in enumerate(marks):
        if level in (2, 3) and names(text, loss):
            end = next((j for j, lv, _ in marks[k + 1:] if lv <= level), len(lines))
            return text, lines[i + 1:end]
    return None


def problems(read_page=None):
    """Every loss of the header without a family page, a section, or a label of its section:
    a list of messages (empty when the docs are whole)."""
    read_page = read_page or (lambda page: open(os.path.join(DOCS, page + ".md")).read())
    pages, found = family_pages(), []
    for companion, loss in companions().items():
        page = pages.get(loss)
        if page and os.path.exists(os.path.join(DOCS, page + ".md")) and companion not in read_page(page):
            found.append(f"{companion}: include/losses.h declares losses_{companion}_f32/_f64, but docs/{page}.md, "
                         f"the page of {loss}, never names it")
    for loss in losses():
        page = pages.get(loss)
        if page is None:
            found.append(f"{loss}: no '/* ---- ... (docs/<page>.md) ---- */' section comment above its declaration "
                         "in include/losses.h")
            continue
        if not os.path.exists(os.path.join(DOCS, page + ".md")):
            found.append(f"{loss}: include/losses.h names docs/{page}.md, which does not exist")
            continue
        hit = section(read_page(page), loss)
        if hit is None:
            found.append(f"{loss}: no section in docs/{page}.md (a '## {loss}' or '### ...' heading naming it)")
            continue
        body = "\n".join(hit[1])
        missing = [what for what, pattern in REQUIRED.items() if not re.search(pattern, body, re.M)]
        if missing:
            found.append(f"{loss}: its section '{hit[0]}' in docs/{page}.md lacks: " + ", ".join(missing))
    return found + default_problems()


def default_problems():
    """Every default macro of the header missing from docs/README.md's table, or shown there with
    another value: a list of messages."""
    rows = {}
    for m in re.finditer(r"^\| `(LOSSES_\w+)` \| ([^|]+?) \|", open(os.path.join(DOCS, "README.md")).read(), re.M):
        rows[m.group(1)] = m.group(2).strip()
    found = []
    for macro, value in header.defines().items():
        if "DEFAULT" not in macro:
            continue
        if macro not in rows:
            found.append(f"{macro}: no row in the 'Default values' table of docs/README.md")
            continue
        shown = rows[macro]
        if isinstance(value, str) and value.startswith("LOSSES_REDUCTION_"):
            expected_ok = shown == value[len("LOSSES_REDUCTION_"):].lower()
        else:
            try:
                expected_ok = float(shown) == float(str(value).strip("()"))
            except ValueError:
                expected_ok = False
        if not expected_ok:
            found.append(f"{macro}: docs/README.md shows {shown!r}, include/losses.h defines {value!r}")
    return found
