"""Files of other tools: Gambit's extensive (``.efg``) and strategic (``.nfg``) game formats."""
