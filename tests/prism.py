"""The Prism harness lives in scripts/prism.py (the contract sweep uses it too).

`import prism` in a test gets that very module (not a copy), so monkeypatching
`prism.<name>` in a test patches the harness itself.
"""

import sys

from scripts import prism as _harness

sys.modules[__name__] = _harness
