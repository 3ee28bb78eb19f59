"""Near-duplicate clustering. (Placeholder until the MinHash LSH index lands.)"""

from __future__ import annotations

from janmat.mention import Mention


class NearDuplicateIndex:
    """Assigns each mention the cluster id of an earlier near-identical mention, or its own id."""

    def assign(self, mention: Mention) -> str:
        """The mention's near-duplicate cluster id."""
        return mention.id
