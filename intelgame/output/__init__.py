"""Output: numbers as users read them (:mod:`.numbers`) and files written whole or not at all
(:mod:`.files`)."""
