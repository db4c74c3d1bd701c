"""The paper reproduced: Chang (2023) claims C1-C8 as checks, figures and a report."""
