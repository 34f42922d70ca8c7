"""The union-find behind ``align.pairing.multi``: groups of sentences that stay possible rows.

Kept apart from the ranking of pairwise beads, which decides what to join;
this module only decides whether a join keeps every group a row.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Node = tuple[int, int]  # (version, sentence)


class Rows:
    """Union-find over (version, sentence) that keeps every group a possible row.

    A group is a possible row when, in every version, no other group lies
    inside its span and every other group is before it in all shared versions
    or after it in all of them. Spans are kept in arrays so that a union is
    checked against every group at once.
    """

    def __init__(self, sizes: Sequence[int], max_cell: int, labels: Sequence[str]):
        self.sizes = list(sizes)
        self.labels = list(labels)
        self.max_cell = max_cell
        self.offsets = np.concatenate([[0], np.cumsum(self.sizes)]).astype(int)
        total = int(self.offsets[-1])
        self.parent = np.arange(total)
        self.members: dict[int, list[Node]] = {}
        n = len(self.sizes)
        self.low = np.full((total, n), np.inf)
        self.high = np.full((total, n), -np.inf)
        for v, size in enumerate(self.sizes):
            for i in range(size):
                root = self._id((v, i))
                self.members[root] = [(v, i)]
                self.low[root, v] = self.high[root, v] = i

    def _id(self, node: Node) -> int:
        return int(self.offsets[node[0]] + node[1])

    def find(self, node: Node) -> int:
        x = self._id(node)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = int(self.parent[x])
        return x

    def union(self, nodes: Sequence[Node], join_groups: bool = True) -> str:
        """Join the groups of ``nodes`` into one; ``""`` if done, else why not.

        Without ``join_groups`` only single sentences may join a group: a
        contradicted bead may attach what nothing else placed, not join two rows.
        """
        roots = sorted({self.find(node) for node in nodes})
        if len(roots) == 1:
            return ""
        if not join_groups and sum(len(self.members[r]) > 1 for r in roots) > 1:
            return "it would join rows that another version keeps apart"
        low, high = self.low[roots].min(axis=0), self.high[roots].max(axis=0)
        widths = np.where(np.isfinite(low), high - low + 1, 0)
        if widths.max() > self.max_cell:
            return f"the row would hold {int(widths.max())} sentences of one version"
        present = np.isfinite(low)
        others = np.ones(len(self.low), bool)
        others[roots] = False
        shared = np.isfinite(self.low[:, present])
        before = (self.high[:, present] < low[present]) | ~shared
        after = (self.low[:, present] > high[present]) | ~shared
        alive = others & shared.any(axis=1)
        bad = alive & ~(before.all(axis=1) | after.all(axis=1))
        if bad.any():
            culprit = self.members[int(np.argmax(bad))]
            return f"it would cross or split the row holding {self._describe(culprit)}"
        keep = roots[0]
        for root in roots[1:]:
            self.parent[root] = keep
            self.members[keep].extend(self.members.pop(root))
            self.low[root], self.high[root] = np.inf, -np.inf
        self.low[keep], self.high[keep] = low, high
        return ""

    def ordered(self, conflicts: list[str]) -> list[tuple[tuple[int, ...], ...]]:
        """The groups as cells, read off every version's sentence order at once.

        A group is next when it starts at the first unplaced sentence of every
        version it has; groups that could go next together (they share no
        version) go by relative position. Groups checked pairwise can still
        form a cycle through three versions; such a group is split, and reported.
        """
        n = len(self.sizes)
        head = [0] * n
        out = []
        while any(head[v] < self.sizes[v] for v in range(n)):
            ready, blocked = [], []
            for v in range(n):
                if head[v] >= self.sizes[v]:
                    continue
                root = self.find((v, head[v]))
                (ready if all(self.low[root, u] == head[u] for u in range(n) if np.isfinite(self.low[root, u]))
                 else blocked).append((v, root))
            if ready:
                root = min((r for _, r in ready),
                           key=lambda r: min(self.low[r, u] / max(self.sizes[u], 1) for u in range(n)
                                             if np.isfinite(self.low[r, u])))
                members = self.members[root]
            else:
                v, root = blocked[0]
                members = [(v, head[v])]
                conflicts.append(f"{self.labels[v]} sentence {head[v]} split from its row: the rows cross")
                rest = [m for m in self.members[root] if m != (v, head[v])]
                self.members[root] = rest
                self._respan(root)
            cells = tuple(tuple(sorted(i for u, i in members if u == v)) for v in range(n))
            for v, cell in enumerate(cells):
                if cell:
                    head[v] = max(head[v], cell[-1] + 1)
            out.append(cells)
        return out

    def _describe(self, members: Sequence[Node]) -> str:
        return ", ".join(f"{self.labels[v]} {i}" for v, i in sorted(members))

    def _respan(self, root: int) -> None:
        self.low[root], self.high[root] = np.inf, -np.inf
        for v, i in self.members[root]:
            self.low[root, v] = min(self.low[root, v], i)
            self.high[root, v] = max(self.high[root, v], i)
