"""The pure vocabulary every domain speaks: lifecycles, money, ids and the refusals a rule may give.

Standard library only, no I/O: the one part of `shared/` a `domain/` package may import (docs/architecture.md).
"""
