"""The matplotlib backend of the notebook (``MPLBACKEND=module://rn_mpl_backend``).

It renders with Agg; ``plt.show()`` displays the open figures as PNG outputs
of the running cell and closes them (figures still open when a cell ends are
shown the same way). Only imported by matplotlib itself.
"""

from matplotlib.backend_bases import FigureManagerBase
from matplotlib.backends.backend_agg import FigureCanvasAgg

FigureCanvas = FigureCanvasAgg
FigureManager = FigureManagerBase


def show(*args, **kwargs):
    import rn_execute

    rn_execute.show_figures()
