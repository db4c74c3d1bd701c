"""Analysis of equilibria: verification, classification, refinements, information quality."""

from intelgame.analysis.verify import Certificate, verify_nash, verify_pbe

__all__ = ["Certificate", "verify_nash", "verify_pbe"]
