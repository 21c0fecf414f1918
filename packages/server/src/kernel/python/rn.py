"""The notebook's own Python API, importable in every kernel: ``import rn``.

``rn.ui`` makes interactive controls (``n = rn.ui.slider(1, 100)``; other cells read ``n.value``).
"""

import rn_ui as ui

__all__ = ["ui"]
