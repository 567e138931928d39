"""The two tables every family's section of `make bench` prints: the times (value and
value+gradient, liblosses against each peer, with ratios), and the targets (value+gradient against
a peer, met or missed, with the reason a section gives from the row's own measurements).

A row is a dict with loss, shape, grad (0 value, 1 value+gradient), "liblosses" and one entry per
peer and extra column, each in seconds or None where the peer is not installed."""


def ratio(peer, ours):
    """liblosses' speed-up over a peer, as the tables print it: above 1 means liblosses is faster."""
    return f"{peer / ours:.1f}×" if peer else "—"


def times(rows, fmt, peers, extra=()):
    """The times table: liblosses, its `extra` columns (e.g. "liblosses 1 thread" printed as
    "1 thread"), each peer, and the ratio against each peer."""
    names = [column.removeprefix("liblosses ") for column in extra]
    header = ["loss", "shape", "", "liblosses", *names, *peers, *(f"vs {peer}" for peer in peers)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in rows:
        cells = [r["loss"], r["shape"], "+grad" if r["grad"] else "value", fmt(r["liblosses"]),
                 *(fmt(r[column]) for column in extra), *(fmt(r[peer]) for peer in peers),
                 *(ratio(r[peer], r["liblosses"]) for peer in peers)]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def targets(rows, fmt, goals, reason=None):
    """The targets table for the value+gradient rows. `goals` is [(peer, speed-up)]; where a goal
    is missed, `reason(row, peer)` (if given) returns the text that explains it, starting "; "."""
    lines = ["", "| target (value+gradient) | measured | met |", "|---|---|---|"]
    for r in rows:
        if not r["grad"]:
            continue
        for peer, goal in goals:
            if r[peer] is None:
                lines.append(f"| {r['loss']} ≥ {goal:g}× {peer} | {peer} not installed | — |")
                continue
            speedup = r[peer] / r["liblosses"]
            why = reason(r, peer) if reason is not None and speedup < goal else ""
            lines.append(f"| {r['loss']} ≥ {goal:g}× {peer} | {fmt(r['liblosses'])} against {fmt(r[peer])}: "
                         f"{speedup:.1f}×{why} | {'yes' if speedup >= goal else 'no'} |")
    return lines


def preallocated(r, peer, fmt, written_into):
    """The first half of the usual reason: the same call with its gradients written into arrays
    allocated once (grad_out=), or "" when the row did not measure it. `written_into` names them,
    e.g. "the gradient written into an array"."""
    seconds = r.get("liblosses, grad_out=")
    if not seconds:
        return ""
    return f"; with {written_into} allocated once (grad_out=) the call takes {fmt(seconds)} ({r[peer] / seconds:.1f}×)"
