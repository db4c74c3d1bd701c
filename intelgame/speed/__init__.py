"""Speed utilities of the batched paths: reductions over short axes, a paused garbage
collector and a fast constructor for frozen dataclasses."""
