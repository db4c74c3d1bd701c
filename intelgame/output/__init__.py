"""Output, the presentation layer: numbers as users read them (:mod:`.numbers`), files written
whole or not at all (:mod:`.files`), rich tables for the terminal (:mod:`.tables`), figures
(:mod:`.figures`) and the threshold curves drawn on them (:mod:`.curves`)."""
