"""jixiao (绩效): budget performance self-evaluation for China's public sector, end to end."""

__version__ = "0.1.0"
